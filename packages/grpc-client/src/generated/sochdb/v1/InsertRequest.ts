// Original file: proto/sochdb.proto

import type { DocumentInput as _sochdb_v1_DocumentInput, DocumentInput__Output as _sochdb_v1_DocumentInput__Output } from '../../sochdb/v1/DocumentInput.js';

export interface InsertRequest {
  namespace?: string;
  collection?: string;
  documents?: _sochdb_v1_DocumentInput[];
}

export interface InsertRequest__Output {
  namespace: string;
  collection: string;
  documents: _sochdb_v1_DocumentInput__Output[];
}
