import type { RouteHandler } from "./fake-lark-types.js";

export interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: RouteHandler;
  /** Permission the app needs; `revokeScope` turns it off to simulate a console misconfiguration. */
  scope?: string;
}

/** Compiles `/open-apis/im/v1/messages/:message_id/reply` into a matcher with named params. */
export function compilePattern(pattern: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = pattern
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        keys.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${source}/?$`), keys };
}

export function createRoute(
  method: string,
  pattern: string,
  handler: RouteHandler,
  scope?: string,
): Route {
  return { method: method.toUpperCase(), pattern, ...compilePattern(pattern), handler, scope };
}

/** The most recently added route matching method and path, with its decoded params. */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.method !== method) continue;
    const match = route.regex.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((key, index) => {
      params[key] = decodeURIComponent(match[index + 1] ?? "");
    });
    return { route, params };
  }
  return undefined;
}

/** True when `path` matches a RegExp, a `:param` pattern, or is exactly the given path. */
export function pathMatches(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  if (!pattern.includes(":")) return pattern === path || `${pattern}/` === path;
  return compilePattern(pattern).regex.test(path);
}
