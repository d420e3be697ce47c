// The `redfish` step kind in the compiler: good bodies compile to redfishAction steps, bad ones
// are compile errors at the right line, and limits from the environment are validated.
import { describe, expect, it } from 'vitest';
import { compileRunbook } from '../../../core/runbook/compile.ts';
import { limitsFromEnv } from '../../../core/hardware/safety.ts';

const rb = (body: string, info = 'redfish as=out') =>
  `---\nid: t\ntitle: T\nversion: 1\ninputs:\n  host: { type: host, required: true }\napprovers: [sre]\n---\n\n# T\n\n## Act\n\n\`\`\`${info}\n${body}\n\`\`\`\n`;

describe('redfish step kind', () => {
  it('compiles a reset into a redfishAction step with templated host', () => {
    const r = compileRunbook(rb('host: ${inputs.host}\naction: reset\nreset_type: PowerCycle'), { file: 't.md' });
    expect(r.diagnostics).toEqual([]);
    const node = r.plan!.steps[0]!;
    expect(node.type === 'step' && node.step).toMatchObject({
      kind: 'redfish',
      exec: 'activity',
      activity: 'redfishAction',
      policy: { retries: 3, timeoutMs: 120_000 },
    });
  });

  it('reports a reset without reset_type, an unknown action and a destructive action not marked so', () => {
    const msgs = (body: string) =>
      compileRunbook(rb(body), { file: 't.md' }).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(msgs('host: a\naction: reset')).toEqual([
      '15:1 Unexpected missing `reset_type`, expected `reset_type` for action reset',
    ]);
    expect(msgs('host: a\naction: reboot')[0]).toMatch(
      /^16:9 Unexpected `reboot` for `action`, expected one of get, discover, health/
    );
    expect(msgs('host: a\naction: reset-to-defaults')).toEqual([
      '15:1 Unexpected missing `destructive`, expected `destructive: true` for action reset-to-defaults (and an approval before the step)',
    ]);
  });

  it('reads safety limits from the environment and refuses nonsense', () => {
    expect(limitsFromEnv({ IRONTHRONE_HW_FLEET_MAX_HOSTS: '5', IRONTHRONE_HW_FLEET_WINDOW: '60' }).fleet).toEqual({
      maxHosts: 5,
      windowMs: 60_000,
    });
    expect(() => limitsFromEnv({ IRONTHRONE_HW_HOST_MAX_ACTIONS: 'many' })).toThrow(
      /IRONTHRONE_HW_HOST_MAX_ACTIONS: expected a positive number, got 'many'/
    );
  });
});
