/**
 * Reads JSON as Meta's documentation publishes it (the `.jsonc` samples): `//` and block comments
 * are dropped, and bare placeholders such as `PHONE_NUMBER` or `<WEBHOOK_SENT_TIMESTAMP>` become
 * strings. Strict JSON passes through unchanged. For fixtures and tooling, not for live webhooks.
 */
export function parseLooseJson(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (/[A-Za-z_<]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_<>.-]/.test(text[j])) j++;
      const word = text.slice(i, j);
      out += ['true', 'false', 'null'].includes(word) ? word : JSON.stringify(word);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}

function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}
