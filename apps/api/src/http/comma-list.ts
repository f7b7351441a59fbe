/** `@Transform(commaList)`: a query value `a, b,c` → `['a', 'b', 'c']` (blanks dropped); anything else as given. */
export const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;
