// A store whose PostgreSQL twin is not written yet: every call rejects, saying which.
export function notYetOnPostgres<S extends object>(name: string): S {
  return new Proxy({} as S, {
    get: (_target, method) => () => Promise.reject(new Error(`${name}.${String(method)} is not on PostgreSQL yet`)),
  });
}
