import { detectDelimiter, firstLine } from './delimiter';

describe('detectDelimiter', () => {
  it.each([
    ['Phone,Name,City', ','],
    ['Phone;Name;City', ';'],
    ['Phone\tName\tCity', '\t'],
    ['"Name, full";Phone;City', ';'],
    ['Phone', ','],
    ['"a;b",c', ','],
  ])('reads %j as %j', (header, expected) => {
    expect(detectDelimiter(header)).toBe(expected);
  });
});

describe('firstLine', () => {
  it('drops a BOM and the line end (LF or CRLF)', () => {
    expect(firstLine('\uFEFFPhone;Name\r\n1;2')).toBe('Phone;Name');
    expect(firstLine('Phone\nx')).toBe('Phone');
    expect(firstLine('Phone')).toBe('Phone');
  });
});
