// A setting held globally and per account, with the simulator's one rule for them (as for faults
// and fill modes): an account uses its own value if it has one, else the global one; setting the
// global value drops every per-account one.

/** A global value of T and per-account overrides, keyed by the account's identity apiKey. */
export class AccountSettings<T extends object> {
  private global: T;
  private readonly perAccount = new Map<string, T>();

  /** @param initial the global value at start and after {@link reset} */
  constructor(private readonly initial: T) {
    this.global = initial;
  }

  /** The value in force for an account; the global one without an account. */
  forAccount(apiKey: string | undefined): T {
    return (apiKey === undefined ? undefined : this.perAccount.get(apiKey)) ?? this.global;
  }

  /** Sets one account's value, or (no apiKey) the global one, dropping every per-account value. */
  set(value: T, apiKey?: string): void {
    if (apiKey === undefined) {
      this.global = value;
      this.perAccount.clear();
    } else {
      this.perAccount.set(apiKey, value);
    }
  }

  /** Drops one account's value (it follows the global one again). */
  clearAccount(apiKey: string): void {
    this.perAccount.delete(apiKey);
  }

  /** Back to the initial global value with no per-account ones. */
  reset(): void {
    this.global = this.initial;
    this.perAccount.clear();
  }

  /** Copies for /__sim/state and the control API's answers. */
  snapshot(): { global: T; perAccount: Record<string, T> } {
    return { global: { ...this.global }, perAccount: Object.fromEntries([...this.perAccount].map(([key, value]) => [key, { ...value }])) };
  }
}
