// Original file: proto/sochdb.proto

import type { Document as _sochdb_v1_Document, Document__Output as _sochdb_v1_Document__Output } from '../../sochdb/v1/Document.js';

export interface GetDocumentResponse {
  found?: boolean;
  document?: _sochdb_v1_Document | null;
}

export interface GetDocumentResponse__Output {
  found: boolean;
  document: _sochdb_v1_Document__Output | null;
}
