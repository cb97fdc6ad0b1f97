import { specFor } from '../given-when-then.testing';
import { decideItem, type ItemCommand } from './item.decide';
import type { ItemEvent } from './item.events';
import { evolveItem } from './item.evolve';
import type { ItemState } from './item.types';

const given = specFor<ItemState, ItemCommand, ItemEvent>(decideItem, evolveItem);
const verdict = (failing: boolean, at: string): ItemCommand => ({
  type: 'RecordAuditVerdict',
  itemId: 'debt-1',
  modelId: 'm',
  check: 'labels-timely',
  failing,
  evidence: { ageHours: failing ? 30 : 1 },
  remedy: 'send labels',
  at,
});
const gap = (
  type: 'AuditGapOpened' | 'AuditGapResolved' | 'AuditGapReopened',
  failing: boolean,
  at: string,
): ItemEvent => ({
  type,
  data: {
    modelId: 'm',
    check: 'labels-timely',
    evidence: { ageHours: failing ? 30 : 1 },
    remedy: 'send labels',
    at,
  },
});
const proposed = (at: string): ItemEvent => ({
  type: 'ItemProposed',
  data: {
    itemId: 'debt-1',
    backlog: 'reliability',
    quadrant: 'technical-debt',
    title: 'labels timely — m',
    description: 'Opened by the technical-debt audit: check labels-timely fails for m. send labels',
    linkedModels: ['m'],
    scores: { userImpact: 5, systemRisk: 5, timeCriticality: 4, effort: 3, confidence: 0.7 },
    rationale: 'technical-debt audit',
    at,
  },
});

describe('audit gaps as technical-debt items', () => {
  it('a failing check opens one technical-debt item; a passing one on a fresh model opens nothing', () => {
    given([])
      .when(verdict(true, 't1'))
      .then([proposed('t1'), gap('AuditGapOpened', true, 't1')]);
    given([]).when(verdict(false, 't1')).then([]);
  });

  it('the same verdict again changes nothing (redelivery, replay)', () => {
    given([proposed('t1'), gap('AuditGapOpened', true, 't1')])
      .when(verdict(true, 't2'))
      .then([]);
  });

  it('a passing check resolves the gap, recorded; a failing one again reopens it visibly', () => {
    const opened = [proposed('t1'), gap('AuditGapOpened', true, 't1')];
    given(opened)
      .when(verdict(false, 't2'))
      .then([gap('AuditGapResolved', false, 't2')]);
    given([...opened, gap('AuditGapResolved', false, 't2')])
      .when(verdict(true, 't3'))
      .then([gap('AuditGapReopened', true, 't3')]);
  });

  it('a gap that comes back after its item was done puts the work back on the backlog', () => {
    const done: ItemEvent = {
      type: 'ItemStatusChanged',
      data: { from: 'in-progress', to: 'done', rationale: 'fixed', ceremonyId: null, at: 't2' },
    };
    given([
      proposed('t1'),
      gap('AuditGapOpened', true, 't1'),
      done,
      gap('AuditGapResolved', false, 't2'),
    ])
      .when(verdict(true, 't3'))
      .then([
        gap('AuditGapReopened', true, 't3'),
        {
          type: 'ItemStatusChanged',
          data: {
            from: 'done',
            to: 'proposed',
            rationale: 'the labels-timely gap is back',
            ceremonyId: null,
            at: 't3',
          },
        },
      ]);
  });
});
