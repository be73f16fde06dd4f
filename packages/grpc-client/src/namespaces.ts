/**
 * What `SochDBClient.createNamespace` takes: the same shape as @sochdb/sdk's `NamespaceConfig`
 * (declared here too, so this package does not depend on the SDK; a type test in the SDK keeps
 * the two identical).
 */
export interface NamespaceConfig {
  /** The namespace's identifier, which every call on its data names; the server validates it (InvalidNamespaceNameError). */
  readonly name: string;
  /** A human-readable name; defaults to `name`. */
  readonly displayName?: string;
  /** Free-form string tags kept with the namespace; `{}` when left out. */
  readonly labels?: Readonly<Record<string, string>>;
  /** With `true`, creating a namespace that exists returns it instead of failing. Default false. */
  readonly existOk?: boolean;
}

/** A namespace as the server describes it: the same shape as @sochdb/sdk's `NamespaceInfo`. */
export interface NamespaceInfo {
  /** The namespace's identifier. */
  readonly name: string;
  /** As given at creation, else the namespace's `name`. */
  readonly displayName: string;
  /** As given at creation; `{}` when none were. */
  readonly labels: Readonly<Record<string, string>>;
  /** Unix ms. */
  readonly createdAt: number;
}
