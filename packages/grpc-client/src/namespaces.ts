/**
 * What `SochDBClient.createNamespace` takes: the same shape as @sochdb/sdk's `NamespaceConfig`
 * (declared here too, so this package does not depend on the SDK; a type test in the SDK keeps
 * the two identical).
 */
export interface NamespaceConfig {
  readonly name: string;
  readonly displayName?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** With `true`, creating a namespace that exists returns it instead of failing. Default false. */
  readonly existOk?: boolean;
}

/** A namespace as the server describes it: the same shape as @sochdb/sdk's `NamespaceInfo`. */
export interface NamespaceInfo {
  readonly name: string;
  readonly displayName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Unix ms. */
  readonly createdAt: number;
}
