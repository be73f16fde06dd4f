import type { PackageDefinition } from '@grpc/proto-loader';
import { ValidationError } from '@sochdb/core';

// protobufjs encodes what it is given without complaint — 42 as the string "42", 1.5 as the
// integer 1, 'abc' as 0 — so a wrongly typed argument would silently become a different
// request. This walks a request against its message descriptor first and refuses anything the
// field's type cannot carry exactly, naming the field.

interface FieldDescriptor {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly typeName: string;
}
interface MessageDescriptor {
  readonly name?: string;
  readonly field: readonly FieldDescriptor[];
  readonly nestedType?: readonly MessageDescriptor[];
  readonly options?: { readonly mapEntry?: boolean } | null;
}
interface EnumDescriptor {
  readonly value: readonly { readonly name: string; readonly number: number }[];
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  TYPE_INT32: [-(2 ** 31), 2 ** 31 - 1],
  TYPE_SINT32: [-(2 ** 31), 2 ** 31 - 1],
  TYPE_UINT32: [0, 2 ** 32 - 1],
  TYPE_INT64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  TYPE_SINT64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  TYPE_UINT64: [0, Number.MAX_SAFE_INTEGER],
};

export class RequestChecker {
  constructor(
    private readonly definition: PackageDefinition,
    private readonly packageName: string,
  ) {}

  /** Throws ValidationError naming the first field whose value its wire type cannot carry. */
  check(descriptor: object, value: unknown, path = ''): void {
    const message = descriptor as MessageDescriptor;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(path || 'request', 'an object');
    const record = value as Readonly<Record<string, unknown>>;
    for (const field of message.field) {
      const fieldValue = record[field.name];
      if (fieldValue === undefined || fieldValue === null) continue;
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      const nested = field.type === 'TYPE_MESSAGE' ? this.#message(message, field.typeName) : undefined;
      if (nested?.options?.mapEntry) {
        this.#checkMap(nested, fieldValue, fieldPath);
      } else if (field.label === 'LABEL_REPEATED') {
        if (!Array.isArray(fieldValue)) throw invalid(fieldPath, 'an array');
        fieldValue.forEach((item: unknown, i) => this.#checkValue(message, field, nested, item, `${fieldPath}[${i}]`));
      } else {
        this.#checkValue(message, field, nested, fieldValue, fieldPath);
      }
    }
  }

  #checkMap(entry: MessageDescriptor, value: unknown, path: string): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, 'an object');
    const valueField = entry.field.find((f) => f.name === 'value')!;
    for (const [key, item] of Object.entries(value)) this.#checkValue(entry, valueField, undefined, item, `${path}.${key}`);
  }

  #checkValue(parent: MessageDescriptor, field: FieldDescriptor, nested: MessageDescriptor | undefined, value: unknown, path: string): void {
    const range = INTEGER_RANGES[field.type];
    if (range) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1])
        throw invalid(path, `an integer from ${range[0]} to ${range[1]}`, value);
      return;
    }
    switch (field.type) {
      case 'TYPE_STRING':
        if (typeof value !== 'string') throw invalid(path, 'a string', value);
        return;
      case 'TYPE_BOOL':
        if (typeof value !== 'boolean') throw invalid(path, 'a boolean', value);
        return;
      case 'TYPE_DOUBLE':
      case 'TYPE_FLOAT':
        if (typeof value !== 'number') throw invalid(path, 'a number', value);
        return;
      case 'TYPE_BYTES':
        if (!(value instanceof Uint8Array)) throw invalid(path, 'bytes (a Uint8Array or Buffer)', value);
        return;
      case 'TYPE_ENUM': {
        const values = (this.#type(parent, field.typeName) as EnumDescriptor).value;
        if (!values.some((v) => v.name === value || v.number === value)) throw invalid(path, `one of ${values.map((v) => v.name).join(', ')}`, value);
        return;
      }
      case 'TYPE_MESSAGE':
        this.check(nested!, value, path);
        return;
    }
  }

  #message(parent: MessageDescriptor, typeName: string): MessageDescriptor {
    return this.#type(parent, typeName) as MessageDescriptor;
  }

  #type(parent: MessageDescriptor, typeName: string): MessageDescriptor | EnumDescriptor {
    const local = parent.nestedType?.find((t) => t.name === typeName);
    if (local) return local;
    const name = typeName.startsWith('.') ? typeName.slice(1) : `${this.packageName}.${typeName}`;
    const found = this.definition[name];
    if (found === undefined || !('type' in found)) throw new ValidationError(`unknown protobuf type ${typeName}`);
    return found.type as MessageDescriptor | EnumDescriptor;
  }
}

function invalid(path: string, expected: string, value?: unknown): ValidationError {
  const got = value === undefined ? '' : `, got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`;
  return new ValidationError(`${path} must be ${expected}${got}`, { field: path });
}
