// The store behind an informer: objects by key, plus secondary indexes
// (e.g. by owner uid, by referenced Volume) kept up to date on every change.

export type IndexFunc<T> = (obj: T) => string[];

export class Indexer<T> {
  private readonly items = new Map<string, T>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexFuncs.has(name)) return;
    this.indexFuncs.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.items) this.addToIndex(index, fn, key, obj);
  }

  hasIndex(name: string): boolean {
    return this.indexFuncs.has(name);
  }

  private addToIndex(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private removeFromIndexes(key: string, obj: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }

  upsert(key: string, obj: T): void {
    const old = this.items.get(key);
    if (old) this.removeFromIndexes(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexFuncs) this.addToIndex(this.indices.get(name)!, fn, key, obj);
  }

  remove(key: string): void {
    const old = this.items.get(key);
    if (!old) return;
    this.removeFromIndexes(key, old);
    this.items.delete(key);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`no index named "${name}"`);
    return [...(index.get(value) ?? [])].map((k) => this.items.get(k)!);
  }
}
