// A message's files in the widget: pictures as thumbnails, other files as name and size, and a file
// on its way with a progress bar. Files are fetched with the visitor's token (an <img> could not send
// it), so each is shown from a blob: URL, released when the message leaves the screen.
import { Component } from 'preact';
import type { Attachment } from '../../shared/protocol';
import type { ThreadMessage } from '../connection';

export type FetchFile = (url: string) => Promise<Blob>;

const sizeText = (bytes = 0) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;

interface PictureProps {
  file: Attachment;
  fetchFile: FetchFile;
}

// A class: it holds the picture's blob: URL from its fetch until it leaves the screen. A message's
// files never change, so each picture is fetched once per showing.
class Picture extends Component<PictureProps, { src?: string }> {
  #shown = true;
  #url?: string;

  override componentDidMount(): void {
    this.props.fetchFile(this.props.file.url).then(
      (blob) => {
        if (this.#shown) this.setState({ src: (this.#url = URL.createObjectURL(blob)) });
      },
      // Unreachable for now: the name stays in place of the picture.
      () => {},
    );
  }

  override componentWillUnmount(): void {
    this.#shown = false;
    if (this.#url) URL.revokeObjectURL(this.#url);
  }

  render({ file }: PictureProps, { src }: { src?: string }) {
    return (
      <a class="file" href={src} target="_blank" rel="noopener">
        {src ? <img class="thumb" src={src} alt={file.name} /> : file.name}
      </a>
    );
  }
}

/** Fetches the file and hands it to the browser as a download under its name. */
async function download(file: Attachment, fetchFile: FetchFile): Promise<void> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await fetchFile(file.url));
  link.download = file.name ?? 'file';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

export function Files({ message, fetchFile }: { message: ThreadMessage; fetchFile: FetchFile }) {
  const { upload } = message;
  if (upload) {
    return (
      <div class="file">
        {upload.preview && <img class="thumb" src={upload.preview} alt="" />}
        {upload.name}
        <progress max={1} value={upload.progress} aria-label={`Uploading ${upload.name}`} />
      </div>
    );
  }
  return (
    <>
      {message.attachments?.map((file) =>
        !file.url ? (
          <span class="file">{file.name} (not kept)</span>
        ) : file.type === 'image' ? (
          <Picture file={file} fetchFile={fetchFile} />
        ) : (
          <button type="button" class="file" onClick={() => void download(file, fetchFile)}>
            {file.name} · {sizeText(file.size)}
          </button>
        ),
      )}
    </>
  );
}
