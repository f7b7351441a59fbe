import { ApiError, CSRF_HEADER, errorMessage } from './client';

/** Answers of the upload routes, which are multipart and so sent without the typed client. */
export async function postSheet<T>(path: string, form: FormData, onProgress?: (share: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader(CSRF_HEADER.name, CSRF_HEADER.value);
    xhr.responseType = 'json';
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response as T);
      else reject(new ApiError(xhr.status, errorMessage(xhr.response, xhr.status, xhr.statusText)));
    };
    xhr.onerror = () => reject(new Error('the upload did not reach the server (network error)'));
    xhr.send(form);
  });
}
