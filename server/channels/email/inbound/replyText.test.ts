// Agents read what the sender wrote, not the history their mail client quoted: real replies from
// Outlook, Outlook Express, The Bat!, Mutt, Gnus, KMail and Apple Mail (Debian's jwz corpus) and
// parse-reply's samples, plus the localized markers each client writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawEmail } from './parse';
import { visibleReplyText } from './replyText';

const corpus = join(import.meta.dirname, '../../../testing/corpus/mailtext');
const visibleOf = async (name: string) => (await readRawEmail(new Uint8Array(readFileSync(join(corpus, name))))).visibleText;
const sample = (name: string) => readFileSync(join(corpus, 'text/parse-reply', name), 'utf8');

describe('the new part of a plain-text reply', () => {
  it('drops what follows Outlook\'s "-----Original Message-----"', async () => {
    const visible = await visibleOf('outlook-original-1561.eml');
    expect(visible).toMatch(/^Heh\. RTFM\.\. Sorry about that\.\n\nYep, that did the trick\./);
    expect(visible).not.toMatch(/Original Message|^From:|^>/m);
  });

  it('keeps answers written below an Outlook Express separator and "> " quotes, without the quotes', async () => {
    const visible = await visibleOf('outlook-original-0884.eml');
    expect(visible).toMatch(/^The right to speak is not the same as the right to be heard/);
    expect(visible).toContain('pretty weak.');
    expect(visible).not.toMatch(/Original Message|bitbitch|^>/m);
  });

  it('drops The Bat!\'s initials-prefixed quotes ("BM> ")', async () => {
    const visible = await visibleOf('thebat-initials-0311.eml');
    expect(visible).toContain('take a look at http://www.pcworld.com/news/article/0,aid,102881,00.asp');
    expect(visible).not.toMatch(/^ ?BM>/m);
  });

  it('drops attribution lines with the quotes they introduce, in German, Spanish, Dutch and English, keeping answers between quotes', async () => {
    const german = await visibleOf('de-schrieb-1115.eml');
    expect(german).toMatch(/^Halloechen!\n\nOops, sorry\./);
    expect(german).not.toContain('schrieben Sie:');
    const spanish = await visibleOf('es-escribio-0093.eml');
    expect(spanish).toContain('We are a commercial company');
    expect(spanish).not.toMatch(/escribió:|Simple DNS from JHSoft/);
    const dutch = await visibleOf('nl-schreef-1560.eml');
    expect(dutch).not.toContain('schreef Ellen Clary');
    const mutt = await visibleOf('wrote-mutt-0041.eml');
    expect(mutt).toMatch(/^Why wait until you're dead\?/);
    expect(mutt).not.toContain('Chris Haun wrote:');
  });

  it('drops the "| " and "--]" quotes an attribution introduces', async () => {
    const pipes = await visibleOf('wrote-prefixed-0090.eml');
    expect(pipes).toMatch(/^This is a standard trap for people building things from source\./);
    expect(pipes).not.toMatch(/^\||Matthias Saou/m);
    const brackets = await visibleOf('wrote-prefixed-0042.eml');
    expect(brackets).toMatch(/^So thats why I keep seeing DeBeers agents hovering around me\./);
    expect(brackets).not.toMatch(/^--\]|Barrera III wrote/m);
  });

  it('reads parse-reply\'s samples: header blocks and attributions wrapped over two lines', () => {
    for (const name of ['from', 'from2', 'from3', 'someoneWrote1', 'someoneWrote2']) {
      expect(visibleReplyText(sample(`${name}.input.txt`)), name).toBe(sample(`${name}.output.txt`).trim());
    }
  });

  it('keeps a forwarded message: it is what the sender wants us to read', () => {
    expect(visibleReplyText(sample('forward2.input.txt'))).toContain('---------- Forwarded message ----------');
  });

  it.each([
    ['-----Ursprüngliche Nachricht-----\nVon: A'],
    ["-----Message d'origine-----\nDe : A"],
    ['-----Mensaje original-----\nDe: A'],
    ['-----Oorspronkelijk bericht-----\nVan: A'],
    ['-----Mensagem original-----\nDe: A'],
    ['-----Messaggio originale-----\nDa: A'],
    ['________________________________\nFrom: Ann <ann@example.com>\nSent: Tuesday, 3 June 2025 10:00\nTo: Support\nSubject: Order'],
    ['Von: Ann <ann@example.com>\nGesendet: Dienstag, 3. Juni 2025 10:00\nAn: Support\nBetreff: Bestellung'],
    ['De : Ann <ann@example.com>\nEnvoyé : mardi 3 juin 2025 10:00\nÀ : Support\nObjet : Commande'],
    ['De: Ann <ann@example.com>\nEnviado el: martes, 3 de junio de 2025 10:00\nPara: Soporte\nAsunto: Pedido'],
    ['Van: Ann <ann@example.com>\nVerzonden: dinsdag 3 juni 2025 10:00\nAan: Support\nOnderwerp: Bestelling'],
    ['De: Ann <ann@example.com>\nEnviada em: terça-feira, 3 de junho de 2025 10:00\nPara: Suporte\nAssunto: Pedido'],
    ['Da: Ann <ann@example.com>\nInviato: martedì 3 giugno 2025 10:00\nA: Supporto\nOggetto: Ordine'],
    ['On Tue, Jun 3, 2025 at 10:00 AM Ann <ann@example.com> wrote:\n> Where is my order?'],
    ['Am Di., 3. Juni 2025 um 10:00 Uhr schrieb Ann <ann@example.com>:\n> Wo ist meine Bestellung?'],
    ['Le mar. 3 juin 2025 à 10:00, Ann <ann@example.com> a écrit :\n> Où est ma commande ?'],
    ['El mar, 3 jun 2025 a las 10:00, Ann (<ann@example.com>) escribió:\n> ¿Dónde está mi pedido?'],
    ['Op di 3 jun 2025 om 10:00 schreef Ann <ann@example.com>:\n> Waar is mijn bestelling?'],
    ['Em ter., 3 de jun. de 2025 às 10:00, Ann <ann@example.com> escreveu:\n> Onde está meu pedido?'],
    ['Il giorno mar 3 giu 2025 alle ore 10:00 Ann <ann@example.com> ha scritto:\n> Dov\'è il mio ordine?'],
    ['On Tue, Jun 3, 2025 at 10:00 AM Ann Example <\nann@example.com> wrote:\n> Where is my order?'],
    ['CO> Where is my order?\nCO> It was due Monday.'],
  ])('drops the history below %j', (history) => {
    const reply = `Thanks, it arrived today.\n\n${history}\n> older history\n> that must not show\n`;
    expect(visibleReplyText(reply)).toBe('Thanks, it arrived today.');
  });

  it('folds away the signature after "-- " and a phone\'s sign-off', () => {
    expect(visibleReplyText('Yes, Tuesday works.\n\nSent from my iPhone\n')).toBe('Yes, Tuesday works.');
    expect(visibleReplyText('Yes, Tuesday works.\n-- \nAnn Example\nACME Ltd.\n+1 555 0100')).toBe('Yes, Tuesday works.');
  });

  it('keeps a sentence that merely ends in "wrote:" when no quote follows', () => {
    expect(visibleReplyText('Your colleague wrote:\nthe parcel left on Monday. It did not.')).toBe('Your colleague wrote:\nthe parcel left on Monday. It did not.');
  });

  it('reads a megabyte of quote-like lines in one pass', () => {
    const text = `New text\n${'On a day, someone <\n'.repeat(50_000)}`;
    expect(visibleReplyText(text).startsWith('New text')).toBe(true);
  });
});
