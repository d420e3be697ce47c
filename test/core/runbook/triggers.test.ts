import { describe, expect, it } from 'vitest';
import { matchingRunbooks, triggerMatches } from '../../../core/runbook/triggers.ts';
import { expr, plan } from '../../helpers/plans.ts';

describe('triggers', () => {
  const fan = plan('fan', [], { triggers: [{ event: 'hardware.fan', match: { region: 'eu' } }] });
  const anyHw = plan('any-hw', [], { triggers: [{ event: 'hardware.*', when: expr('event.severity == "critical"') }] });
  const predicted = plan('predicted', [], { triggers: [{ event: 'prediction', threshold: 0.8 }] });

  it('matches kind, tags, threshold and when-expressions', () => {
    expect(triggerMatches(fan.triggers[0]!, { kind: 'hardware.fan', target: 'h1', tags: { region: 'eu' } })).toBe(true);
    expect(triggerMatches(fan.triggers[0]!, { kind: 'hardware.fan', target: 'h1', tags: { region: 'us' } })).toBe(false);
    expect(triggerMatches(fan.triggers[0]!, { kind: 'hardware.psu', target: 'h1', tags: { region: 'eu' } })).toBe(false);
    expect(triggerMatches(anyHw.triggers[0]!, { kind: 'hardware.psu', target: 'h1', severity: 'critical' })).toBe(true);
    expect(triggerMatches(anyHw.triggers[0]!, { kind: 'hardware.psu', target: 'h1', severity: 'warning' })).toBe(false);
    expect(triggerMatches(predicted.triggers[0]!, { kind: 'prediction', target: 'h1', probability: 0.9 })).toBe(true);
    expect(triggerMatches(predicted.triggers[0]!, { kind: 'prediction', target: 'h1', probability: 0.5 })).toBe(false);
    expect(triggerMatches(predicted.triggers[0]!, { kind: 'prediction', target: 'h1' })).toBe(false);
  });

  it('returns every matching runbook in a stable order', () => {
    const e = { kind: 'hardware.fan', target: 'h1', severity: 'critical', tags: { region: 'eu' } };
    expect(matchingRunbooks([predicted, fan, anyHw], e).map((p) => p.id)).toEqual(['any-hw', 'fan']);
  });
});
