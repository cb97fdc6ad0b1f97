import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { BRIEF_CSS, briefPageHtml } from './brief-page.html';

/**
 * The ceremony brief as a page: /brief/<ceremonyId> and /brief/next, and its assets, served by
 * this service (no CDN, no third-party script: charts are SVG drawn by the page's own module). The
 * page holds no data; it reads the API with the key its user enters.
 */
@ApiExcludeController()
@Controller()
export class BriefPageController {
  private readonly scripts = new Map<string, string>();

  @Get('brief/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(@Param('id') id: string): string {
    return briefPageHtml(id);
  }

  @Get('brief-assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    res.setHeader('Cache-Control', 'public, max-age=300');
    if (PAGE_SCRIPTS.has(name)) res.type('application/javascript').send(this.script(name));
    else if (name === 'brief.css') res.type('text/css').send(BRIEF_CSS);
    else throw new NotFoundException(`no asset ${name.slice(0, 64)}`);
  }

  /** The page's own modules, compiled from ./client by `npm run build` (read once). */
  private script(name: string): string {
    let text = this.scripts.get(name);
    if (text === undefined) {
      const path = join(CLIENT_BUILD, name);
      if (!existsSync(path))
        throw new NotFoundException(
          `${name} is not built: run npm run build (it compiles ./client)`,
        );
      this.scripts.set(name, (text = readFileSync(path, 'utf8')));
    }
    return text;
  }
}

/** The modules the page loads (brief.js imports the others). */
const PAGE_SCRIPTS = new Set(['brief.js', 'brief-format.js', 'brief-types.js']);

/**
 * Where the client's tsconfig writes them: dist/assets/brief under the project root, found from
 * this file whether it runs compiled (dist/…) or from source (tests).
 */
const CLIENT_BUILD = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'assets', 'brief');
})();
