import { getDocumentImage } from "@/lib/server/documents/document-images";
import { handler } from "../../_lib/handler";

type Params = { key: string };

/** An image of an uploaded text, with a strict content type; nothing in it can run. */
export const GET = handler<Params>(async ({ actor, params }) => {
  const image = await getDocumentImage(actor, params.key);
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      "Content-Type": image.mediaType,
      "Content-Length": String(image.bytes.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Content-Disposition": "inline",
      "Cache-Control": "private, max-age=86400, immutable",
    },
  });
});
