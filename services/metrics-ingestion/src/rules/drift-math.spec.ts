import { binIndex, jensenShannonDistance, psi, quantileEdges } from './drift-math';

describe('drift math', () => {
  it('PSI is zero for identical distributions and matches a hand-computed case', () => {
    expect(psi([10, 20, 70], [1, 2, 7])).toBeCloseTo(0, 12);
    // ref 50/50, cur 80/20: (0.5-0.8)ln(0.5/0.8) + (0.5-0.2)ln(0.5/0.2) = 0.141 + 0.2749 = 0.4159
    expect(psi([50, 50], [80, 20])).toBeCloseTo(
      0.3 * Math.log(0.8 / 0.5) + 0.3 * Math.log(0.5 / 0.2),
      10,
    );
  });

  it('PSI floors empty bins at 1e-4 instead of dividing by zero', () => {
    const value = psi([100, 0], [50, 50]);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeCloseTo(
      (1 - 0.5) * Math.log(1 / 0.5) + (1e-4 - 0.5) * Math.log(1e-4 / 0.5),
      10,
    );
  });

  it('Jensen-Shannon distance is 0 for equal, sqrt(ln 2) for disjoint distributions', () => {
    expect(jensenShannonDistance([1, 1], [5, 5])).toBeCloseTo(0, 12);
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.log(2)), 12);
  });

  it('quantile edges split a uniform sample into equal bins', () => {
    const sorted = Float64Array.from({ length: 101 }, (_, i) => i);
    expect(quantileEdges(sorted, 4)).toEqual([25, 50, 75]);
    expect(quantileEdges(Float64Array.from([1, 1, 1, 1]), 4)).toEqual([1]);
  });

  it('bins are upper-bound inclusive with an open last bin', () => {
    const edges = [10, 20];
    expect([
      binIndex(edges, -5),
      binIndex(edges, 10),
      binIndex(edges, 10.1),
      binIndex(edges, 20),
      binIndex(edges, 99),
    ]).toEqual([0, 0, 1, 1, 2]);
  });
});
