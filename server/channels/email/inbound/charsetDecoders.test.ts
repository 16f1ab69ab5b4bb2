// Real mail in legacy charsets reads as its sender wrote it: curly quotes and euro signs from Outlook
// and Apple Mail, Cyrillic in KOI8-R, Chinese in GB2312 (headers too), Japanese in ISO-2022-JP, UTF-7,
// and 8-bit text that declares no charset. Read through the mail reader's worker, as the server does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mailCharsetDecoder, decodeUtf8OrWindows1252 } from './charsetDecoders';
import { MailReader } from './mailReader';

const corpus = join(import.meta.dirname, '../../../testing/corpus/mailtext');
const fixture = (name: string) => new Uint8Array(readFileSync(join(corpus, name)));

describe('mail in legacy charsets, read by the mail reader', () => {
  const reader = new MailReader();
  afterAll(() => reader.close());

  const read = async (name: string) => {
    const result = await reader.read({ kind: 'raw', bytes: fixture(name) });
    if (!result.ok) throw new Error(result.message);
    return result.email;
  };

  it("keeps Windows-1252 punctuation from Apple Mail and Outlook: ’ “ ” are there, no control characters", async () => {
    const email = await read('cp1252-0627.eml');
    expect(email.text).toContain('This is the president’s story of September 11th');
    expect(email.text).not.toMatch(/[\u0080-\u009f]/);
    const outlook = await read('cp1252-0240.eml');
    expect(outlook.text).not.toMatch(/[\u0080-\u009f\ufffd]/);
  });

  it('reads a KOI8-R bounce in Russian', async () => {
    expect((await read('koi8r-newmailru_01.eml')).text).toContain('Это сообщение создано автоматически mail-сервисом.');
  });

  it('reads a GB2312 email, and its raw 8-bit Subject in the charset the email declares', async () => {
    const email = await read('gb2312-sina_01.eml');
    expect(email.subject).toBe('邮件传输失败！');
    expect(email.text).toContain('邮件无法发送到您指定的地址中。');
  });

  it('reads 8-bit text that declares no charset as Windows-1252 when it is not UTF-8', async () => {
    const email = await read('undeclared-8bit-2460.eml');
    expect(email.text).toContain('"Larry Lessig admits it: he’s nervous. Who');
    expect(email.text).not.toContain('\ufffd');
  });

  it('reads a part labelled with the old UTF-7 name', async () => {
    expect((await read('utf7-dsn_13.eml')).text).toContain('Delivery to the following recipients failed.');
  });
});

describe('mailCharsetDecoder', () => {
  const decode = (label: string, bytes: Uint8Array) => (mailCharsetDecoder(label) ?? ((b: Uint8Array) => new TextDecoder(label).decode(b)))(bytes);

  it('decodes UTF-7 (RFC 2152’s own example) and Windows-1252’s 0x80–0x9F', () => {
    expect(decode('utf-7', Buffer.from('Hi Mom -+Jjo--!'))).toBe('Hi Mom -☺-!');
    expect(decode('unicode-1-1-utf-7', Buffer.from('A+ImIDkQ.'))).toBe('A≢Α.');
    expect(decode('windows-1252', Buffer.from([0x93, 0x80, 0x97, 0x94]))).toBe('“€—”');
    expect(decode('ISO-8859-1', Buffer.from([0x92, 0xe9]))).toBe('’é');
  });

  it('leaves ISO-2022-JP to Node, which reads Python’s Japanese sample right', () => {
    const text = join(corpus, 'text');
    expect(decode('iso-2022-jp', readFileSync(join(text, 'iso2022_jp.txt')))).toBe(readFileSync(join(text, 'iso2022_jp-utf8.txt'), 'utf8'));
  });

  it('reads undeclared, unknown and "us-ascii" 8-bit text as UTF-8 when valid, else Windows-1252', () => {
    expect(decodeUtf8OrWindows1252(Buffer.from('Café ’', 'utf8'))).toBe('Café ’');
    expect(decodeUtf8OrWindows1252(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x92]))).toBe('Café ’');
    expect(decode('x-no-such-charset', Buffer.from([0x93, 0x68, 0x69, 0x94]))).toBe('“hi”');
    expect(decode('us-ascii', Buffer.from('naïve', 'utf8'))).toBe('naïve');
  });
});
