// Runs Argo CD health scripts the way Argo CD does (util/lua/lua.go): a fresh
// Lua state per run, only the base, package and table libraries open (no
// string, math, io or os: argocd-cm scripts run without "open libs"), the
// object as the global `obj`, JSON numbers as numbers, and the returned
// table read as {status, message}.
//
// The VM is fengari (Lua 5.3 in pure JavaScript); Argo CD uses gopher-lua
// (Lua 5.1). The scripts stick to what both accept, which
// lua51Problems() checks.
import { createRequire } from 'node:module';

type LuaState = unknown;
type LuaString = Uint8Array;

interface Fengari {
  to_luastring(s: string): LuaString;
  lua: {
    LUA_OK: number;
    LUA_TTABLE: number;
    lua_pop(L: LuaState, n: number): void;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: LuaString): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_setfield(L: LuaState, index: number, key: LuaString): void;
    lua_rawseti(L: LuaState, index: number, i: number): void;
    lua_setglobal(L: LuaState, name: LuaString): void;
    lua_getglobal(L: LuaState, name: LuaString): number;
    lua_getfield(L: LuaState, index: number, key: LuaString): number;
    lua_type(L: LuaState, index: number): number;
    lua_isnil(L: LuaState, index: number): boolean;
    lua_tojsstring(L: LuaState, index: number): string;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
  };
  lauxlib: {
    luaL_newstate(): LuaState;
    luaL_loadbuffer(L: LuaState, code: LuaString, size: number | null, name: LuaString): number;
    luaL_requiref(L: LuaState, name: LuaString, open: unknown, global: number): void;
  };
  lualib: Record<string, unknown>;
}

// fengari is CommonJS without type declarations.
const fengari = createRequire(import.meta.url)('fengari') as Fengari;
const { lua, lauxlib, lualib, to_luastring: s } = fengari;

export interface HealthStatus {
  status?: string;
  message?: string;
}

function push(L: LuaState, value: unknown): void {
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') {
    // gopher-lua prints whole float64s without ".0"; Lua 5.3 does so for integers.
    if (Number.isInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') lua.lua_pushstring(L, s(value));
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [k, v] of entries) {
      if (v === undefined) continue;
      push(L, v);
      lua.lua_setfield(L, -2, s(k));
    }
  } else throw new Error(`cannot pass a ${typeof value} to Lua`);
}

function stringField(L: LuaState, key: string): string | undefined {
  lua.lua_getfield(L, -1, s(key));
  const value = lua.lua_isnil(L, -1) ? undefined : lua.lua_tojsstring(L, -1);
  lua.lua_pop(L, 1);
  return value;
}

/** Runs `script` on `obj` (a JSON object) as an Argo CD health check; throws on Lua errors. */
export function runHealthScript(script: string, obj: unknown): HealthStatus {
  const L = lauxlib.luaL_newstate();
  for (const [name, open] of [
    ['_G', lualib.luaopen_base],
    ['package', lualib.luaopen_package],
    ['table', lualib.luaopen_table],
  ] as const) {
    lauxlib.luaL_requiref(L, s(name), open, 1);
    lua.lua_pop(L, 1);
  }
  // JSON round trip: what Argo CD hands the script is plain JSON data.
  push(L, JSON.parse(JSON.stringify(obj)) as unknown);
  lua.lua_setglobal(L, s('obj'));
  if (lauxlib.luaL_loadbuffer(L, s(script), null, s('=health.lua')) !== lua.LUA_OK) {
    throw new Error(`Lua syntax error: ${lua.lua_tojsstring(L, -1)}`);
  }
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw new Error(`Lua error: ${lua.lua_tojsstring(L, -1)}`);
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) throw new Error('the script did not return a table');
  return { status: stringField(L, 'status'), message: stringField(L, 'message') };
}

/** True when the script's global environment has `name` (to show which libraries are absent). */
export function globalDefined(name: string): boolean {
  return runHealthScript(`return { status = tostring(${name} ~= nil) }`, {}).status === 'true';
}

/**
 * Constructs gopher-lua (Lua 5.1) lacks or Argo CD does not provide, found
 * outside comments and string literals.
 */
export function lua51Problems(script: string): string[] {
  const code = script
    .split('\n')
    .map((line) => line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/--.*$/, ''))
    .join('\n');
  const rules: [RegExp, string][] = [
    [/\bgoto\b|::\w+::/, 'goto and labels (Lua 5.2)'],
    [/\/\//, 'floor division // (Lua 5.3)'],
    [/[&|]|<<|>>|~(?!=)/, 'bitwise operators (Lua 5.3)'],
    [/<const>|<close>/, 'attributes (Lua 5.4)'],
    [/\b(string|math|io|os|utf8|debug|coroutine|bit32)\s*\./, 'a library Argo CD does not open for argocd-cm scripts'],
    [/\brequire\b|\bload(string|file)?\s*\(|\bdofile\b/, 'loading code'],
    [/:\s*[a-z]+\s*\(/, 'method calls (string methods need the string library)'],
  ];
  return rules.filter(([re]) => re.test(code)).map(([, what]) => what);
}
