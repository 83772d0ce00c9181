import { parseCsv } from '../../reconstruct/csv';

const fields = (text: string) => parseCsv(text).records.map((r) => r.fields);

describe('parseCsv', () => {
  it('splits plain fields and keeps empty ones', () => {
    expect(fields('a,b,c\n1,,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
    ]);
  });

  it('reads commas, doubled quotes and line breaks inside quotes', () => {
    const { records, problems } = parseCsv('"x, y","say ""hi""","two\nlines"\nnext,row,here');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 3, fields: ['next', 'row', 'here'] },
    ]);
  });

  it('drops a leading byte order mark and accepts CRLF, LF and CR line ends', () => {
    expect(fields('\ufeffa,b\r\nc,d\re,f\ng,h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('normalises a CRLF inside a quoted field to LF and counts the physical lines', () => {
    const { records } = parseCsv('"one\r\ntwo",x\r\nnext,y\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['one\ntwo', 'x'] },
      { line: 3, fields: ['next', 'y'] },
    ]);
  });

  it('gives blank lines as one empty field and adds no record for a final line end', () => {
    expect(fields('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('keeps an empty quoted last field', () => {
    expect(fields('a,""')).toEqual([['a', '']]);
  });

  it('reports an unterminated quote with the line it opened on', () => {
    const { records, problems } = parseCsv('a,b\n"open,never closed\nmore');
    expect(problems).toEqual([{ line: 2, message: expect.stringContaining('never closed') }]);
    expect(records[1].fields[0]).toBe('open,never closed\nmore');
  });

  it('reports text after a closing quote, and keeps a stray quote inside an unquoted field', () => {
    const { records, problems } = parseCsv('"ab"c,d\ne"f,g');
    expect(problems).toEqual([{ line: 1, message: expect.stringContaining('after a closing quote') }]);
    expect(records.map((r) => r.fields)).toEqual([
      ['abc', 'd'],
      ['e"f', 'g'],
    ]);
  });

  it('returns nothing for an empty text', () => {
    expect(parseCsv('')).toEqual({ records: [], problems: [] });
    expect(parseCsv('\ufeff')).toEqual({ records: [], problems: [] });
  });
});
