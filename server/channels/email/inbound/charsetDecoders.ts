// Text decoding for mail as it really arrives: Node 20's TextDecoder turns windows-1252's 0x80–0x9F
// (’ “ ” – — €) into invisible C1 controls and knows no UTF-7, and postal-mime decodes every body and
// header with it. installCharsetDecoders() swaps the thread's TextDecoder for one that sends those
// charsets to iconv-lite. It must only ever run in the mail reader's worker, before postal-mime loads:
// it replaces a global, which on the server's main thread would change every other decoder too.
import iconv from 'iconv-lite';

const NativeTextDecoder = globalThis.TextDecoder;
const strictUtf8 = new NativeTextDecoder('utf-8', { fatal: true });

/**
 * Labels read as "UTF-8 if the bytes are valid UTF-8, else Windows-1252": no charset at all (postal-mime
 * asks for utf8), UTF-8 itself (mislabelled Windows-1252 is common), and US-ASCII (8-bit bytes in mail
 * labelled ASCII are one of the two in practice).
 */
const UTF8_OR_WINDOWS_1252 = new Set([
  '', 'utf8', 'utf-8', 'unicode-1-1-utf-8', 'unicode11utf8', 'x-unicode20utf8',
  'us-ascii', 'ascii', 'us', 'ansi_x3.4-1968', 'ansi_x3.4-1986', 'iso646-us', 'iso-ir-6', 'cp367', 'ibm367', 'csascii',
]);

/**
 * The legacy charset the email being read declares somewhere (see declaredCharsetOf), for 8-bit text
 * that declares none: a raw GB2312 Subject in a GB2312 email is GB2312. One email is read at a time.
 */
let undeclaredFallback = 'windows-1252';

/** Bytes as UTF-8 when they are valid UTF-8, else in the email's own legacy charset or Windows-1252. */
export function decodeUtf8OrWindows1252(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), undeclaredFallback);
  }
}

/** How far into an email its first charset parameter is looked for. */
const CHARSET_SCAN_BYTES = 64 * 1024;

/** The first legacy charset an email declares (a Content-Type parameter), if iconv-lite knows it. */
export function declaredCharsetOf(raw: Uint8Array): string | null {
  const head = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, CHARSET_SCAN_BYTES)).toString('latin1');
  // One anchored-by-word pattern with bounded repeats: linear over the scanned bytes.
  for (const match of head.matchAll(/charset\s*=\s*"?([a-z0-9_.:-]{1,40})/gi)) {
    const name = match[1]!.toLowerCase();
    if (UTF8_OR_WINDOWS_1252.has(name) || !iconv.encodingExists(name)) continue;
    return nativeEncodingOf(name) === 'windows-1252' ? 'windows-1252' : name;
  }
  return null;
}

/** Reads undeclared 8-bit text of the email `raw` (its headers above all) in the charset it declares elsewhere. */
export function readUndeclaredTextAs(raw: Uint8Array): void {
  undeclaredFallback = declaredCharsetOf(raw) ?? 'windows-1252';
}

type Decode = (bytes: Uint8Array) => string;

/** The WHATWG name Node gives a label (ISO-8859-1 is windows-1252 there, as in browsers), or null. */
function nativeEncodingOf(label: string): string | null {
  try {
    return new NativeTextDecoder(label).encoding;
  } catch {
    return null;
  }
}

/**
 * How to decode a declared charset, or null where Node's own decoder is right. Anything the runtime
 * files under windows-1252 (ISO-8859-1 and its aliases too, as browsers do) goes to iconv-lite's
 * Windows-1252; labels the runtime lacks (UTF-7, its old "unicode-1-1-utf-7" name) to iconv-lite; a
 * label neither knows, like an unknown one, is read as UTF-8 or Windows-1252.
 */
export function mailCharsetDecoder(label: string | undefined): Decode | null {
  const name = (label ?? '').trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (UTF8_OR_WINDOWS_1252.has(name)) return decodeUtf8OrWindows1252;
  const native = nativeEncodingOf(name);
  if (native === 'windows-1252') return (bytes) => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1252');
  if (native !== null) return null; // ISO-2022-JP, KOI8-R, GB2312, Shift_JIS, …: ICU decodes these correctly
  if (iconv.encodingExists(name)) return (bytes) => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
  return decodeUtf8OrWindows1252;
}

type DecodeInput = Parameters<InstanceType<typeof NativeTextDecoder>['decode']>[0];
type DecodeOptions = { stream?: boolean };
type DecoderOptions = { fatal?: boolean; ignoreBOM?: boolean };

const bytesOf = (input: DecodeInput): Uint8Array =>
  input == null ? new Uint8Array(0) : ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);

/** TextDecoder with the mail charsets above; streaming or fatal decoding is left to Node's own. */
class MailTextDecoder extends NativeTextDecoder {
  private readonly mailDecode: Decode | null;
  constructor(label?: string, options?: DecoderOptions) {
    const mailDecode = options?.fatal ? null : mailCharsetDecoder(label);
    // A label Node lacks (UTF-7) still needs a valid one for the base class; decode() never uses it.
    super(mailDecode ? 'utf-8' : label, options);
    this.mailDecode = mailDecode;
  }
  override decode(input?: DecodeInput, options?: DecodeOptions): string {
    if (!this.mailDecode || options?.stream) return super.decode(input, options);
    return this.mailDecode(bytesOf(input));
  }
}

/** Makes this thread's TextDecoder the mail one (see the header: the mail reader's worker only). */
export function installCharsetDecoders(): void {
  globalThis.TextDecoder = MailTextDecoder;
}
