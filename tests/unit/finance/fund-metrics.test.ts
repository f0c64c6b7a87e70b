import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../../shared/dates';
import { computeFundMetrics } from '../../../shared/finance/fund-metrics';
import type { FundMetricsInput } from '../../../shared/finance/fund-metrics';
import { computePme } from '../../../shared/finance/pme';
import { tryXirr } from '../../../shared/finance/xirr';
import type { Flow } from '../../../shared/finance/xirr';
import { dateOf, errorCode } from './helpers';

// The PME worked example (see pme.test.ts) wrapped in a fund: 100,000.00 paid
// in on 2021-01-01, 60,000.00 distributed on 2022-01-01 (10,000.00 of it
// recallable), NAV 80,000.00 marked 2022-12-31, asOf 2023-01-01.
const FUND: FundMetricsInput = {
  fundId: 'fund-1',
  currency: 'EUR',
  size: 5_000_000_000,
  asOf: '2023-01-01',
  committed: 20_000_000,
  called: 10_000_000,
  contributions: [{ date: '2021-01-01', amount: 10_000_000 }],
  distributions: [{ date: '2022-01-01', amount: 6_000_000, recallable: 1_000_000 }],
  navMarks: [
    { date: '2022-06-30', nav: 7_000_000 },
    { date: '2022-12-31', nav: 8_000_000 },
    { date: '2023-03-31', nav: 9_000_000 }, // after asOf: ignored
  ],
  allocated: 2_500_000_000,
  index: [
    { date: '2021-01-01', level: 100 },
    { date: '2022-01-01', level: 120 },
    { date: '2023-01-01', level: 132 },
  ],
};

const KEYS = [
  'fundId',
  'asOf',
  'currency',
  'size',
  'committed',
  'called',
  'pic',
  'distributions',
  'nav',
  'unfunded',
  'dpi',
  'rvpi',
  'tvpi',
  'irr',
  'ksPme',
  'lnPme',
  'pmePlus',
  'directAlpha',
  'allocated',
  'utilisation',
];

describe('computeFundMetrics', () => {
  it('computes the worked example', () => {
    const m = computeFundMetrics(FUND);
    expect(Object.keys(m)).toEqual(KEYS);
    expect(m).toMatchObject({
      fundId: 'fund-1',
      asOf: '2023-01-01',
      currency: 'EUR',
      size: 5_000_000_000,
      committed: 20_000_000,
      called: 10_000_000,
      pic: 10_000_000,
      distributions: 6_000_000,
      nav: 8_000_000,
      unfunded: 11_000_000, // 200,000 − 100,000 + 10,000 recallable
      dpi: 0.6,
      rvpi: 0.8,
      allocated: 2_500_000_000,
      utilisation: 0.5,
    });
    expect(m.tvpi).toBeCloseTo(1.4, 15);
    // NAV is the terminal flow at asOf (2023-01-01), two Actual/365 years in: r = √0.89 − 0.7.
    expect(m.irr).toBeCloseTo(Math.sqrt(0.89) - 0.7, 12);
    expect(m.ksPme).toBeCloseTo(73 / 66, 14);
    expect(m.lnPme).toBeCloseTo(Math.sqrt(3) / 2 - 0.7, 12);
    expect(m.pmePlus).toBeCloseTo((520 / 11 + Math.sqrt((520 / 11) ** 2 + 32_000)) / 200 - 1, 12);
    expect(m.directAlpha).toBeCloseTo((66 + Math.sqrt(46_596)) / 264 - 1, 12);
  });

  it('counts only what is dated on or before asOf', () => {
    const m = computeFundMetrics({
      ...FUND,
      contributions: [...FUND.contributions, { date: '2023-01-02', amount: 99_000_000 }],
      distributions: [...FUND.distributions, { date: '2023-06-30', amount: 5_000_000, recallable: 5_000_000 }],
    });
    expect(m).toEqual(computeFundMetrics(FUND));
    // Moving asOf back before the distribution drops it and its recallable part.
    const early = computeFundMetrics({ ...FUND, asOf: '2021-12-31' });
    expect(early.distributions).toBe(0);
    expect(early.unfunded).toBe(10_000_000);
    expect(early.nav).toBe(0); // no mark yet
    expect(early.dpi).toBe(0);
    expect(early.irr).toBeNull(); // only a contribution: no sign change
  });

  it('takes the latest NAV mark, the last one listed when several share its date', () => {
    const m = computeFundMetrics({
      ...FUND,
      navMarks: [
        { date: '2022-12-31', nav: 1 },
        { date: '2021-06-30', nav: 2 },
        { date: '2022-12-31', nav: 8_000_000 },
      ],
    });
    expect(m.nav).toBe(8_000_000);
  });

  it('uses nav = 0 when there is no mark, and null ratios without paid-in capital', () => {
    const noMarks = computeFundMetrics({ ...FUND, navMarks: [] });
    expect(noMarks.nav).toBe(0);
    expect(noMarks.rvpi).toBe(0);
    expect(noMarks.tvpi).toBeCloseTo(0.6, 15);
    // −100,000 then +60,000 a year later: r = −40 %.
    expect(noMarks.irr).toBeCloseTo(-0.4, 12);

    const nothingPaid = computeFundMetrics({ ...FUND, contributions: [], size: 0 });
    expect(nothingPaid.pic).toBe(0);
    expect(nothingPaid.dpi).toBeNull();
    expect(nothingPaid.rvpi).toBeNull();
    expect(nothingPaid.tvpi).toBeNull();
    expect(nothingPaid.irr).toBeNull();
    expect(nothingPaid.ksPme).toBeNull();
    expect(nothingPaid.utilisation).toBeNull();
  });

  it('gives null PMEs without an index or with a gap in it', () => {
    const { index: _index, ...noIndex } = FUND;
    const m = computeFundMetrics(noIndex);
    expect([m.ksPme, m.lnPme, m.pmePlus, m.directAlpha]).toEqual([null, null, null, null]);
    expect(m.irr).not.toBeNull();
    const gap = computeFundMetrics({ ...FUND, index: [{ date: '2022-01-01', level: 100 }] });
    expect([gap.ksPme, gap.lnPme, gap.pmePlus, gap.directAlpha]).toEqual([null, null, null, null]);
  });

  it('rejects malformed input', () => {
    expect(errorCode(() => computeFundMetrics({ ...FUND, asOf: '2023-1-1' }))).toBe('INVALID_DATE');
    expect(errorCode(() => computeFundMetrics({ ...FUND, size: 10.5 }))).toBe('INVALID_AMOUNT');
    expect(errorCode(() => computeFundMetrics({ ...FUND, navMarks: [{ date: '2022-01-01', nav: Number.NaN }] }))).toBe('INVALID_AMOUNT');
    expect(
      errorCode(() => computeFundMetrics({ ...FUND, distributions: [{ date: '2022-01-01', amount: 1, recallable: 0.5 }] })),
    ).toBe('INVALID_AMOUNT');
  });
});

const fundArb = fc
  .record({
    start: fc.integer({ min: dayNumber('2000-01-01'), max: dayNumber('2020-01-01') }),
    contributions: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 4000 }), amount: fc.integer({ min: 1, max: 1e11 }) }), { maxLength: 12 }),
    distributions: fc.array(
      fc.record({ offset: fc.integer({ min: 0, max: 4000 }), amount: fc.integer({ min: 1, max: 1e11 }), recallable: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: undefined }) }),
      { maxLength: 12 },
    ),
    marks: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 4000 }), nav: fc.integer({ min: 0, max: 1e11 }) }), { maxLength: 6 }),
    asOfOffset: fc.integer({ min: 0, max: 4000 }),
  })
  .map(
    ({ start, contributions, distributions, marks, asOfOffset }): FundMetricsInput => ({
      fundId: 'f',
      currency: 'USD',
      size: 1e12,
      asOf: dateOf(start + asOfOffset),
      committed: 1e12,
      called: contributions.reduce((s, c) => s + c.amount, 0),
      contributions: contributions.map((c) => ({ date: dateOf(start + c.offset), amount: c.amount })),
      distributions: distributions.map((d) => ({ date: dateOf(start + d.offset), amount: d.amount, recallable: d.recallable })),
      navMarks: marks.map((m) => ({ date: dateOf(start + m.offset), nav: m.nav })),
      allocated: 5e11,
      index: [{ date: dateOf(start), level: 100 }, { date: dateOf(start + 2000), level: 150 }],
    }),
  );

describe('computeFundMetrics: properties', () => {
  it('TVPI = DPI + RVPI; IRR and PMEs are those of the flows up to asOf with NAV as the terminal flow', () => {
    fc.assert(
      fc.property(fundArb, (input) => {
        const m = computeFundMetrics(input);
        const asOf = dayNumber(input.asOf);
        const contributions = input.contributions.filter((c) => dayNumber(c.date) <= asOf);
        const distributions = input.distributions.filter((d) => dayNumber(d.date) <= asOf);
        const pic = contributions.reduce((s, c) => s + c.amount, 0);
        const dist = distributions.reduce((s, d) => s + d.amount, 0);
        expect(m.pic).toBe(pic);
        expect(m.distributions).toBe(dist);
        expect(m.unfunded).toBe(input.committed - input.called + distributions.reduce((s, d) => s + (d.recallable ?? 0), 0));
        if (pic === 0) expect(m.tvpi).toBeNull();
        else expect(m.tvpi).toBe(m.dpi! + m.rvpi!);
        const flows: Flow[] = [
          ...contributions.map((c) => ({ date: c.date, amount: -c.amount })),
          ...distributions.map((d) => ({ date: d.date, amount: d.amount })),
          { date: input.asOf, amount: m.nav },
        ];
        expect(m.irr).toBe(tryXirr(flows));
        const pme = computePme({ contributions, distributions, nav: m.nav, asOf: input.asOf, index: input.index! });
        expect([m.ksPme, m.lnPme, m.pmePlus, m.directAlpha]).toEqual([pme.ksPme, pme.lnPme, pme.pmePlus, pme.directAlpha]);
      }),
      { numRuns: 300 },
    );
  });
});
