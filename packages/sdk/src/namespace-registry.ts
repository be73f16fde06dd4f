import {
  encodeKey,
  InvalidNamespaceNameError,
  NamespaceExistsError,
  NamespaceNotFoundError,
  decodeKey,
  keyRange,
  type KeyValueStore,
  type Transaction,
} from '@sochdb/core';

/** What `createNamespace` takes (the original's NamespaceConfig). */
export interface NamespaceConfig {
  /** 1–128 letters, digits, '_', '-' or '.', starting with a letter or digit (see `validateNamespaceName`). */
  readonly name: string;
  /** Free text for people; default `name`. */
  readonly displayName?: string;
  /** String key/value tags stored with the namespace; a non-string value throws InvalidNamespaceNameError. Default `{}`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** With `true`, creating a namespace that exists opens it instead of failing. Default false. */
  readonly existOk?: boolean;
}

/** A namespace's stored record; set when it is created and never updated. */
export interface NamespaceInfo {
  /** The namespace's name, unique in the database. */
  readonly name: string;
  /** As given at creation, or the name when none was. */
  readonly displayName: string;
  /** As given at creation; `{}` when none were. */
  readonly labels: Readonly<Record<string, string>>;
  /** Unix ms. */
  readonly createdAt: number;
}

// Letters, digits, '_', '-', '.'; starts with a letter or digit; at most 128 characters. Names
// become key prefixes through the tuple codec, so any name would be safe — the rule keeps them
// usable in URLs, paths and logs as well.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Returns `name` when it is a valid namespace name (1–128 letters, digits, '_', '-' or '.',
 * starting with a letter or digit), else throws InvalidNamespaceNameError. Every namespace
 * method checks this; the gRPC server uses it for its KV namespaces.
 */
export function validateNamespaceName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidNamespaceNameError(`invalid namespace name ${JSON.stringify(name)}`, {
      remediation: "Use 1–128 letters, digits, '_', '-' or '.', starting with a letter or digit.",
    });
  }
  return name;
}

const registryKey = (name: string) => encodeKey(['sdk', 'ns', name]);

/** Namespace records, stored under `('sdk', 'ns', name)`. */
export class NamespaceRegistry {
  constructor(private readonly store: KeyValueStore) {}

  async create(config: NamespaceConfig, txn: Transaction): Promise<NamespaceInfo> {
    const name = validateNamespaceName(config?.name);
    const stored = await txn.get(registryKey(name));
    if (stored !== undefined && config.existOk === true) return JSON.parse(stored.toString('utf8')) as NamespaceInfo;
    if (stored !== undefined) {
      throw new NamespaceExistsError(`namespace '${name}' already exists`, {
        remediation: `Use db.namespace('${name}') to open it, or db.getOrCreateNamespace('${name}').`,
      });
    }
    const labels = config.labels ?? {};
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string') throw new InvalidNamespaceNameError(`label '${k}' must be a string`);
    }
    const info: NamespaceInfo = { name, displayName: config.displayName ?? name, labels: { ...labels }, createdAt: Date.now() };
    await txn.put(registryKey(name), JSON.stringify(info));
    return info;
  }

  async get(name: string, store: KeyValueStore = this.store): Promise<NamespaceInfo> {
    validateNamespaceName(name);
    const raw = await store.get(registryKey(name));
    if (raw === undefined) {
      throw new NamespaceNotFoundError(`namespace '${name}' does not exist`, { remediation: `Create it with db.createNamespace({ name: '${name}' }).` });
    }
    return JSON.parse(raw.toString('utf8')) as NamespaceInfo;
  }

  async list(): Promise<NamespaceInfo[]> {
    const out: NamespaceInfo[] = [];
    for await (const [key, value] of this.store.iterator(keyRange(['sdk', 'ns']))) {
      if (decodeKey(key).length === 3) out.push(JSON.parse(value.toString('utf8')) as NamespaceInfo);
    }
    return out;
  }

  async remove(name: string, txn: Transaction): Promise<void> {
    await this.get(name, txn);
    await txn.del(registryKey(name));
  }
}
