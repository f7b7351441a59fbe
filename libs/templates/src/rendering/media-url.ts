/** A template media header's format, as the renderer knows it. */
export type MediaFormat = 'image' | 'video' | 'document';

/**
 * File types WhatsApp accepts per media kind (Cloud API "Supported media types": images JPEG and
 * PNG up to 5 MB; videos MP4 and 3GPP; documents text, PDF and the Office formats). Meta reads
 * the type from the answer's Content-Type, so only a URL whose path names another type is refused
 * here; a path without an extension is left to Meta.
 */
export const MEDIA_EXTENSIONS: Record<MediaFormat, readonly string[]> = {
  image: ['jpg', 'jpeg', 'png'],
  video: ['mp4', '3gp'],
  document: ['pdf', 'txt', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'],
};

/**
 * Why a media header link cannot be sent, or null when it can: WhatsApp fetches it itself and
 * only over HTTPS, and refuses (131053, after the send is paid for) a file of a type it does not
 * take for that header.
 */
export function mediaUrlProblem(format: MediaFormat, link: string): string | null {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return `header media URL "${shorten(link)}" is not a URL`;
  }
  if (url.protocol !== 'https:') return `header media URL "${shorten(link)}" is not https (WhatsApp fetches media over HTTPS only)`;
  const name = decodeURIComponent(url.pathname).split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const extension = name.slice(dot + 1).toLowerCase();
  if (MEDIA_EXTENSIONS[format].includes(extension)) return null;
  return `header media URL "${shorten(link)}" is a .${extension} file; a ${format} header takes ${MEDIA_EXTENSIONS[format].map((e) => `.${e}`).join(', ')}`;
}

function shorten(link: string): string {
  return link.length > 120 ? `${link.slice(0, 117)}...` : link;
}
