// Arrow-key movement between the graph's components (pure): from a point, the nearest other
// point that lies in the arrow's direction (within 60° of it), distance along the arrow counted
// once and across it twice, so that a key goes to the neighbour it points at.
export type Direction = 'left' | 'right' | 'up' | 'down';

const AXIS: Record<Direction, [number, number]> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };

/** The index in `points` of the point to go to from `from`, or undefined when none lies that way. */
export function nearestInDirection(from: { x: number; y: number }, points: { x: number; y: number }[], dir: Direction): number | undefined {
  const [ax, ay] = AXIS[dir];
  let best: number | undefined;
  let bestCost = Infinity;
  points.forEach((p, k) => {
    const dx = p.x - from.x;
    const dy = p.y - from.y;
    const along = dx * ax + dy * ay;
    const across = Math.abs(dx * ay - dy * ax);
    // Ahead, and within 60° of the direction.
    if (along <= 0.5 || across > along * Math.tan(Math.PI / 3)) return;
    const cost = along + 2 * across;
    if (cost < bestCost) {
      bestCost = cost;
      best = k;
    }
  });
  return best;
}
