import assert from "node:assert/strict";
import { shellName, writeJsonListing, writePairs } from "./findmnt_output.ts";
import { OutputBuffer } from "./output_buffer.ts";

/** What a writer wrote, as text. */
function written(write: (out: OutputBuffer) => void): string {
  const pieces: Uint8Array[] = [];
  const out = new OutputBuffer({
    write: (bytes) => pieces.push(bytes.slice()),
  });
  write(out);
  out.flush();
  return pieces.map((piece) => new TextDecoder().decode(piece)).join("");
}

Deno.test("-J nests a tree as libsmartcols does, byte for byte", () => {
  const rows = [["/", 1], ["/a", 2], ["/a/1", 3], ["/b", 4], ["/c", null]];
  const text = written((out) =>
    writeJsonListing({
      name: "filesystems",
      keys: ["TARGET", "ID"],
      rows: { length: rows.length, values: (row) => rows[row] },
      depth: Int32Array.of(0, 1, 2, 1, 0),
    }, out)
  );
  assert.equal(
    text,
    `{
   "filesystems": [
      {
         "target": "/",
         "id": 1,
         "children": [
            {
               "target": "/a",
               "id": 2,
               "children": [
                  {
                     "target": "/a/1",
                     "id": 3
                  }
               ]
            },{
               "target": "/b",
               "id": 4
            }
         ]
      },{
         "target": "/c",
         "id": null
      }
   ]
}
`,
  );
  assert.deepEqual(JSON.parse(text).filesystems[0].children[0].children, [
    { target: "/a/1", id: 3 },
  ]);
});

Deno.test("-J of no rows is findmnt's empty list", () => {
  assert.equal(
    written((out) =>
      writeJsonListing({
        name: "filesystems",
        keys: ["target"],
        rows: { length: 0, values: () => [] },
        depth: null,
      }, out)
    ),
    '{\n   "filesystems": [\n\n   ]\n}\n',
  );
});

Deno.test("-P quotes as findmnt; -y names are shell variables", () => {
  assert.equal(
    written((out) =>
      writePairs(
        ["TARGET", shellName("MAJ:MIN"), "OPT-FIELDS"],
        { length: 1, values: () => ['/a b"$\\é', "0:22", ""] },
        out,
      )
    ),
    'TARGET="/a b\\x22\\x24\\x5c\\xc3\\xa9" MAJ_MIN="0:22" OPT-FIELDS=""\n',
  );
  assert.equal(shellName("1X%"), "_1X_");
});
