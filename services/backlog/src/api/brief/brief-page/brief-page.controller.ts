import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BRIEF_CSS, briefPageHtml } from './brief-page.html';
import { BRIEF_JS } from './brief-page.script';

/**
 * The ceremony brief as a page: /brief/<ceremonyId> and /brief/next, and its assets, served by
 * this service (Chart.js from the installed npm package: no CDN, works offline). The page holds no
 * data; it reads the API with the key its user enters.
 */
@ApiExcludeController()
@Controller()
export class BriefPageController {
  private chart?: string;

  @Get('brief/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(@Param('id') id: string): string {
    return briefPageHtml(id);
  }

  @Get('brief-assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    res.setHeader('Cache-Control', 'public, max-age=300');
    if (name === 'brief.js') res.type('application/javascript').send(BRIEF_JS);
    else if (name === 'brief.css') res.type('text/css').send(BRIEF_CSS);
    else if (name === 'chart.umd.js') {
      // chart.js exports no subpaths: its UMD build sits beside its main entry.
      this.chart ??= readFileSync(
        join(dirname(require.resolve('chart.js')), 'chart.umd.js'),
        'utf8',
      );
      res.type('application/javascript').send(this.chart);
    } else throw new NotFoundException(`no asset ${name.slice(0, 64)}`);
  }
}
