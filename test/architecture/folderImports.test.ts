import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, test } from "vitest";

const serverDir = path.resolve(import.meta.dirname, "..", "..", "server");

/** Every non-test TypeScript file under server/, relative to it. */
async function serverSources(): Promise<string[]> {
  const entries = await readdir(serverDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => path.relative(serverDir, path.join(entry.parentPath, entry.name)));
}

/** The top-level folder of a file under server/; a file at the top (main.ts, app.ts) stands for itself. */
function folderOf(file: string): string {
  return file.split(path.sep)[0]!.replace(/\.js$/, ".ts");
}

/** Folder -> folder -> one import that makes the edge, for the failure message. */
async function folderGraph(): Promise<Map<string, Map<string, string>>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of await serverSources()) {
    const source = await readFile(path.join(serverDir, file), "utf8");
    for (const match of source.matchAll(/\bfrom\s+["'](\.{1,2}\/[^"']+)["']|\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) {
      const specifier = match[1] ?? match[2]!;
      const target = path.relative(serverDir, path.resolve(serverDir, path.dirname(file), specifier));
      if (target.startsWith("..")) continue;
      const from = folderOf(file);
      const to = folderOf(target);
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${file} imports ${specifier}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The cycles of `graph`, each as a path of folders that returns to its start (one per strongly connected set). */
function findCycles(graph: Map<string, Map<string, string>>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of graph.keys()) {
    if (done.has(start)) continue;
    // Depth-first search from `start`, remembering the path, stopping at the first folder that reaches back.
    const stack: string[] = [];
    const onPath = new Set<string>();
    const visit = (folder: string): boolean => {
      stack.push(folder);
      onPath.add(folder);
      for (const next of graph.get(folder)?.keys() ?? []) {
        if (onPath.has(next)) {
          cycles.push([...stack.slice(stack.indexOf(next)), next]);
          return true;
        }
        if (!done.has(next) && visit(next)) return true;
      }
      stack.pop();
      onPath.delete(folder);
      done.add(folder);
      return false;
    };
    // A cycle ends the search early: its folders are reported once, not again from each of them.
    if (visit(start)) for (const folder of stack) done.add(folder);
  }
  return cycles;
}

describe("server folders", () => {
  test("no two folders under server/ import each other, directly or through others", async () => {
    const graph = await folderGraph();
    const cycles = findCycles(graph).map((cycle) =>
      cycle
        .slice(1)
        .map((to, index) => `${cycle[index]} -> ${to} (${graph.get(cycle[index]!)!.get(to)})`)
        .join("; "),
    );
    expect(cycles).toEqual([]);
  });

  test("the cycle finder sees a cycle through three folders", () => {
    const graph = new Map([
      ["a", new Map([["b", "a.ts imports ./b"]])],
      ["b", new Map([["c", "b.ts imports ./c"]])],
      ["c", new Map([["a", "c.ts imports ./a"]])],
    ]);
    expect(findCycles(graph)).toEqual([["a", "b", "c", "a"]]);
  });
});
