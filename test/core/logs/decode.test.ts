// Bad bytes never crash the pipeline and never vanish: decodeLine's edge cases, and a property
// test that any byte string decodes to a bounded, well-formed string with honest tags.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLine } from '../../../core/logs/parse/decode.ts';
import { parseLine } from '../../../core/logs/parse/index.ts';

describe('decodeLine', () => {
  it('repairs invalid UTF-8 and tags it', () => {
    expect(decodeLine(Buffer.from([0x61, 0xc3, 0x28, 0x62]))).toEqual({ text: 'a\uFFFD(b', tags: ['invalid_utf8'] });
  });

  it('cuts oversize lines on a character boundary with a marker', () => {
    const line = Buffer.from('é'.repeat(10)); // 20 bytes
    expect(decodeLine(line, 5)).toEqual({ text: 'éé …[truncated 16 bytes]', tags: ['truncated'] });
  });

  it('counts bytes an earlier layer cut, without calling a split character invalid', () => {
    const cut = Buffer.from('ab€').subarray(0, 4); // '€' is 3 bytes; 2 of them kept
    expect(decodeLine(cut, 100, 10)).toEqual({ text: 'ab …[truncated 12 bytes]', tags: ['truncated'] });
  });

  it('drops trailing CR/LF only', () => {
    expect(decodeLine('x \r\n').text).toBe('x ');
    expect(decodeLine(Buffer.from('y\n\n')).text).toBe('y');
  });

  it('any bytes: bounded, well-formed, parseable, tagged when changed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const d = decodeLine(bytes, 100);
        expect((d.text as unknown as { isWellFormed(): boolean }).isWellFormed()).toBe(true);
        expect(Buffer.byteLength(d.text)).toBeLessThanOrEqual(100 * 3 + 40);
        if (!d.tags.includes('truncated')) expect(Buffer.from(d.text).length).toBeLessThanOrEqual(bytes.length * 3);
        const p = parseLine(d.text, { received: new Date('2026-11-25T12:00:00Z') });
        expect(typeof p.message).toBe('string');
      }),
      { numRuns: 2000 }
    );
  });
});

describe('parseLine never throws', () => {
  const ctx = { received: new Date('2026-11-25T12:00:00Z') };
  it('on corrupt journal times and odd JSON', () => {
    expect(
      parseLine('{"__REALTIME_TIMESTAMP":"99999999999999999999","MESSAGE":"x","PRIORITY":"3"}', ctx)
    ).toMatchObject({ format: 'journal', ts: undefined, message: 'x' });
    expect(parseLine('{"MessageId":"FAN0001","Message":"m","Created":"soon"}', ctx)).toMatchObject({
      format: 'idrac',
      ts: undefined,
    });
    expect(parseLine('<13>1 1 host app - - - x', ctx).format).not.toBe('rfc5424');
  });

  it('on any JSON value, syslog-ish or key=value text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string().map((s) => `<13>1 ${s}`),
          fc.string().map((s) => `<34>${s}`),
          fc.string().map((s) => `a=${s} b="${s}"`)
        ),
        (text) => {
          const p = parseLine(text, ctx);
          if (p.ts !== undefined) expect(Number.isNaN(Date.parse(p.ts))).toBe(false);
        }
      ),
      { numRuns: 3000 }
    );
  });
});
