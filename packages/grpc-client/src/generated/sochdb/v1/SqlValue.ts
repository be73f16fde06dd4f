// Original file: proto/sochdb.proto

export interface SqlValue {
  null?: boolean;
  real?: number | string;
  integer?: string;
  text?: string;
  blob?: Buffer | Uint8Array | string;
  boolean?: boolean;
  kind?: 'null' | 'real' | 'integer' | 'text' | 'blob' | 'boolean';
}

export interface SqlValue__Output {
  null?: boolean;
  real?: number;
  integer?: string;
  text?: string;
  blob?: Buffer;
  boolean?: boolean;
  kind?: 'null' | 'real' | 'integer' | 'text' | 'blob' | 'boolean';
}
