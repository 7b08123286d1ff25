// Finds overlapping text in a rendered Ink tree. Ink writes each Text node's (wrapped) lines at
// its laid-out position; when a Text has more lines than the height its parent gave it, or
// boxes are squeezed, the lines spill over whatever is drawn there and the screen shows garbled
// text (`variants on = true · off = falseet their code default`). This replays those writes
// on a grid, the way Ink's renderer does (same wrapping, same clipping of overflow: hidden
// boxes, borders included), and reports every cell two different nodes both put a visible
// character into.
import { Box, type DOMElement } from 'ink';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { stripVTControlCharacters } from 'node:util';
import { createElement, createRef, type ReactElement, type RefObject } from 'react';

interface InkNode {
  nodeName: string;
  nodeValue?: string;
  childNodes: InkNode[];
  style: { textWrap?: string; overflow?: string; overflowX?: string; overflowY?: string; borderStyle?: unknown };
  yogaNode?: {
    getComputedLeft(): number;
    getComputedTop(): number;
    getComputedWidth(): number;
    getComputedHeight(): number;
    getComputedPadding(edge: number): number;
    getComputedBorder(edge: number): number;
    getDisplay(): number;
  };
}

interface Clip {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

export interface Overlap {
  x: number;
  y: number;
  first: string;
  second: string;
}

const EDGE = { left: 0, top: 1, right: 2, bottom: 3 };

function squash(node: InkNode): string {
  let text = '';
  for (const c of node.childNodes) {
    if (c.nodeName === '#text') text += c.nodeValue ?? '';
    else if (c.nodeName === 'ink-text' || c.nodeName === 'ink-virtual-text') text += squash(c);
  }
  return stripVTControlCharacters(text);
}

/** Ink's wrapping: `wrap` wraps hard, `truncate*` cuts each line to the width (with an ellipsis). */
function lay(text: string, width: number, wrap: string): string[] {
  const widest = Math.max(...text.split('\n').map((l) => stringWidth(l)));
  if (widest <= width) return text.split('\n');
  if (wrap === 'wrap') return wrapAnsi(text, width, { trim: false, hard: true }).split('\n');
  return text.split('\n').map((l) => (stringWidth(l) > width ? `${[...l].slice(0, Math.max(0, width - 1)).join('')}…` : l));
}

/** Replays the tree's writes on a grid; returns the cells two nodes both drew a visible character in. */
export function findOverlaps(root: DOMElement, columns: number, rows: number): Overlap[] {
  const owner: (string | null)[][] = Array.from({ length: rows }, () => Array<string | null>(columns).fill(null));
  const found: Overlap[] = [];
  let id = 0;
  const put = (x: number, y: number, ch: string, who: string, clip: Clip) => {
    if (x < clip.x1 || x >= clip.x2 || y < clip.y1 || y >= clip.y2 || y < 0 || y >= rows || x < 0 || x >= columns) return;
    if (ch === ' ') return;
    const prev = owner[y]![x];
    if (prev != null && prev !== who && found.length < 20) found.push({ x, y, first: prev, second: who });
    owner[y]![x] = who;
  };
  const walk = (node: InkNode, ox: number, oy: number, clip: Clip) => {
    const yn = node.yogaNode;
    if (!yn || yn.getDisplay() === 1) return;
    const x = ox + yn.getComputedLeft();
    const y = oy + yn.getComputedTop();
    const w = yn.getComputedWidth();
    const h = yn.getComputedHeight();
    if (node.nodeName === 'ink-text') {
      const text = squash(node);
      if (!text) return;
      const who = `text#${id++} "${text.slice(0, 30)}"`;
      const pl = yn.getComputedPadding(EDGE.left);
      const lines = lay(text, Math.max(0, w - pl - yn.getComputedPadding(EDGE.right)), node.style.textWrap ?? 'wrap');
      lines.forEach((line, dy) => {
        let cx = x + pl;
        for (const ch of line) {
          put(cx, y + dy, ch, who, clip);
          cx += Math.max(1, stringWidth(ch));
        }
      });
      return;
    }
    let inner = clip;
    if (node.nodeName === 'ink-box') {
      if (node.style.borderStyle) {
        const who = `border#${id++}`;
        for (let i = 0; i < w; i++) {
          put(x + i, y, '─', who, clip);
          put(x + i, y + h - 1, '─', who, clip);
        }
        for (let j = 0; j < h; j++) {
          put(x, y + j, '│', who, clip);
          put(x + w - 1, y + j, '│', who, clip);
        }
      }
      const hideX = node.style.overflowX === 'hidden' || node.style.overflow === 'hidden';
      const hideY = node.style.overflowY === 'hidden' || node.style.overflow === 'hidden';
      inner = {
        x1: hideX ? Math.max(clip.x1, x + yn.getComputedBorder(EDGE.left)) : clip.x1,
        x2: hideX ? Math.min(clip.x2, x + w - yn.getComputedBorder(EDGE.right)) : clip.x2,
        y1: hideY ? Math.max(clip.y1, y + yn.getComputedBorder(EDGE.top)) : clip.y1,
        y2: hideY ? Math.min(clip.y2, y + h - yn.getComputedBorder(EDGE.bottom)) : clip.y2,
      };
    }
    for (const c of node.childNodes) walk(c, x, y, inner);
  };
  walk(root as unknown as InkNode, 0, 0, { x1: 0, x2: columns, y1: 0, y2: rows });
  return found;
}

/** Wraps `element` in a Box whose ref reaches the laid-out tree. */
export function measured(element: ReactElement): { element: ReactElement; ref: RefObject<DOMElement | null> } {
  const ref = createRef<DOMElement>();
  return { element: createElement(Box, { ref, flexDirection: 'column' }, element), ref };
}
