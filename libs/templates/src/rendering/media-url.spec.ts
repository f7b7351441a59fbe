import { mediaUrlProblem } from './media-url';

describe('mediaUrlProblem', () => {
  it('accepts https links of the types WhatsApp takes for each header format', () => {
    for (const link of ['https://cdn.example/a.jpg', 'https://cdn.example/a.JPEG', 'https://cdn.example/p/a.png?v=2'])
      expect(mediaUrlProblem('image', link)).toBeNull();
    for (const link of ['https://cdn.example/clip.mp4', 'https://cdn.example/clip.3gp']) expect(mediaUrlProblem('video', link)).toBeNull();
    for (const link of ['https://cdn.example/invoice.pdf', 'https://cdn.example/sheet.xlsx', 'https://cdn.example/notes.txt'])
      expect(mediaUrlProblem('document', link)).toBeNull();
  });

  it('refuses links that are not https or not a URL at all', () => {
    expect(mediaUrlProblem('image', 'http://cdn.example/a.jpg')).toMatch(/not https/);
    expect(mediaUrlProblem('image', 'ftp://cdn.example/a.jpg')).toMatch(/not https/);
    expect(mediaUrlProblem('document', 'invoice.pdf')).toMatch(/not a URL/);
  });

  it('refuses a file of another type than the header takes', () => {
    expect(mediaUrlProblem('image', 'https://cdn.example/a.gif')).toMatch(/\.gif file; a image header takes \.jpg, \.jpeg, \.png/);
    expect(mediaUrlProblem('image', 'https://cdn.example/clip.mp4')).toMatch(/\.mp4/);
    expect(mediaUrlProblem('video', 'https://cdn.example/clip.mov')).toMatch(/\.mov/);
    expect(mediaUrlProblem('document', 'https://cdn.example/a.png')).toMatch(/\.png/);
    expect(mediaUrlProblem('document', 'https://cdn.example/a.exe?x=.pdf')).toMatch(/\.exe/);
  });

  it('leaves a path without an extension to Meta, which reads the type from the answer', () => {
    expect(mediaUrlProblem('image', 'https://cdn.example/media/12345')).toBeNull();
    expect(mediaUrlProblem('video', 'https://cdn.example/')).toBeNull();
  });
});
