import { describe, expect, it } from 'vitest';
import { contentDisposition, declaredType, safeName, servedType } from './contentTypes';

describe('how a kept file is served', () => {
  it('never serves a type a browser would run', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript']) {
      expect(servedType(type)).toBe('application/octet-stream');
    }
    expect(servedType('application/pdf')).toBe('application/pdf');
  });

  it('reads a declared type without parameters, and refuses garbage', () => {
    expect(declaredType('Image/JPEG; name="x.jpg"')).toBe('image/jpeg');
    expect(declaredType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(declaredType(null)).toBe('application/octet-stream');
  });

  it('gives a download name that is safe in a header, with the UTF-8 name beside it', () => {
    expect(contentDisposition('Rechnung "März".pdf', 'application/pdf')).toBe(
      `attachment; filename="Rechnung _M_rz_.pdf"; filename*=UTF-8''Rechnung%20%22M%C3%A4rz%22.pdf`,
    );
    expect(contentDisposition('photo.png', 'image/png')).toMatch(/^inline;/);
  });

  it('keeps no path, control or direction characters of a sender’s name', () => {
    expect(safeName('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(safeName('invoice\u202Efdp.exe', 'x')).toBe('invoice_fdp.exe');
    expect(safeName('   ', 'attachment-1')).toBe('attachment-1');
  });
});
