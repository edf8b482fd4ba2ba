// Duplicate search: which open work orders a new report of a problem is probably about. The problem
// code's duplicate rule says what "the same problem" is: the same code (or category), within a radius
// of metres, opened within a window of days, and, where the rule names one, the same answer to an
// attribute (a pole number). Places are found with the R*Tree of open work orders (a bounding box of
// the code or category, which the tree holds as dimensions, first), then measured exactly on the great
// circle; without coordinates, the same registry address.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { Classification } from '../../db/schema/intake.ts';
import { openStatusList, type WorkOrderStatus } from '../../db/schema/work-orders.ts';
import type { DuplicateRule } from '../hierarchy/files.ts';
import { hierarchyGeneration } from '../hierarchy/generation.ts';
import { getNode } from '../hierarchy/service.ts';

type Reader = Db;

/** What is known of the new report. */
export interface Probe {
  problemCode: string;
  latitude: number | null;
  longitude: number | null;
  addressId: number | null;
  answers: Record<string, unknown>;
}

export interface Candidate {
  number: string;
  status: WorkOrderStatus;
  classification: Classification;
  locationText: string;
  assignee: string;
  createdAt: string;
  dueAt: string;
  /** Metres between the two places; null when matched by address. */
  distanceMeters: number | null;
  callers: number;
  /** 0–1: how alike (place first, then age); 1 when the rule's attribute matches. */
  score: number;
  /** Strong enough for a channel without a clerk to link to it alone. */
  strong: boolean;
  reasons: string[];
}

export interface CandidateSearch {
  rule: DuplicateRule | null;
  candidates: Candidate[];
}

export const earthRadiusMeters = 6_371_008.8;
const metresPerDegree = (Math.PI * earthRadiusMeters) / 180;

export function greatCircleMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMeters * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** An attribute's answer as compared between reports: "  pl-0042 " and "PL-0042" are the same pole. */
export function matchValueOf(rule: DuplicateRule | null, answers: Record<string, unknown>): string | null {
  const code = rule?.matchAttribute;
  if (!code) return null;
  const value = answers[code];
  if (value === undefined || value === null) return null;
  const text = (Array.isArray(value) ? value.map(String).sort().join(',') : String(value)).trim().toUpperCase().replace(/\s+/g, ' ');
  return text === '' ? null : text;
}

interface ResolvedRule {
  rule: DuplicateRule | null;
  codeId: number;
  categoryId: number;
  attributeName: string | null;
}

/**
 * Rules already resolved, by code, with the hierarchy token they were read under (0013's triggers change
 * it on any change to the hierarchy, in any process). Resolving walks the hierarchy in several queries and
 * makes enough garbage to pause the process now and then; a search should cost two indexed queries.
 */
const resolvedRules = new Map<string, { token: number; value: ResolvedRule }>();

/** The resolved duplicate rule of a problem code, and the ids it is matched by. */
export function ruleOf(db: Reader, problemCode: string): ResolvedRule {
  const token = hierarchyGeneration(db);
  const known = resolvedRules.get(problemCode);
  if (known?.token === token) return known.value;
  const value = resolveRule(db, problemCode);
  if (resolvedRules.size > 50_000) resolvedRules.clear();
  resolvedRules.set(problemCode, { token, value });
  return value;
}

function resolveRule(db: Reader, problemCode: string): ResolvedRule {
  const node = getNode(db, problemCode);
  const rule = (node.resolved?.value as { duplicateRule?: DuplicateRule | null } | undefined)?.duplicateRule ?? null;
  const ids = db.get<{ id: number; parentId: number }>(sql`SELECT id, parent_id AS parentId FROM hierarchy_nodes WHERE code = ${problemCode}`)!;
  const settings = node.settings as { questions?: { code: string; description: string }[] };
  const attribute = rule?.matchAttribute ? settings.questions?.find((q) => q.code === rule.matchAttribute) : undefined;
  return { rule, codeId: ids.id, categoryId: ids.parentId, attributeName: attribute ? shortName(attribute.description) : (rule?.matchAttribute ?? null) };
}

/** "Pole number (on the pole, e.g. 12345)?" → "pole number". */
function shortName(description: string): string {
  return description.replace(/\s*\(.*$/, '').replace(/[?:.]+$/, '').trim().toLowerCase();
}

function ago(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return 'within the hour';
  if (hours < 24) return `${Math.floor(hours)} hour${Math.floor(hours) === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

interface Row {
  id: number;
  number: string;
  status: WorkOrderStatus;
  classification: string;
  categoryName: string;
  problemCodeId: number;
  locationText: string;
  assignee: string;
  latitude: number | null;
  longitude: number | null;
  matchValue: string | null;
  createdAt: string;
  dueAt: string;
  callers: number;
}

const columns = sql`w.id, w.number, w.status, w.classification, w.problem_code_id AS problemCodeId, w.location_text AS locationText, w.assignee,
  w.latitude, w.longitude, w.match_value AS matchValue, w.created_at AS createdAt, w.due_at AS dueAt,
  (SELECT count(*) FROM customer_requests r WHERE r.work_order_id = w.id AND r.status <> 'cancelled') AS callers`;
const openStatuses = sql`w.status IN ${openStatusList}`;

/**
 * The open work orders the report matches under its code's duplicate rule, best first. None when
 * the code has no rule, or the report has neither coordinates nor a registry address.
 * `strongScore` (0–1) marks the candidates a channel without a clerk may link to on its own.
 */
export function findDuplicateCandidates(db: Reader, probe: Probe, options: { now?: Date; strongScore: number; excludeWorkOrderId?: number }): CandidateSearch {
  const { rule, codeId, categoryId, attributeName } = ruleOf(db, probe.problemCode);
  if (!rule) return { rule, candidates: [] };
  const now = options.now ?? new Date();
  const windowMs = rule.windowDays * 86_400_000;
  const since = new Date(now.getTime() - windowMs).toISOString();
  const sameKind = rule.scope === 'category' ? sql`w.category_id = ${categoryId}` : sql`w.problem_code_id = ${codeId}`;
  // The tree holds the code and the category as dimensions: the box is asked for this kind only.
  const sameKindInTree = rule.scope === 'category' ? sql`a.min_category <= ${categoryId} AND a.max_category >= ${categoryId}` : sql`a.min_code <= ${codeId} AND a.max_code >= ${codeId}`;
  const exclude = options.excludeWorkOrderId === undefined ? sql`` : sql` AND w.id <> ${options.excludeWorkOrderId}`;
  const { latitude: lat, longitude: lon } = probe;
  const rows = new Map<number, Row>();
  if (lat !== null && lon !== null) {
    const dLat = rule.radiusMeters / metresPerDegree;
    const dLon = rule.radiusMeters / (metresPerDegree * Math.max(Math.cos((lat * Math.PI) / 180), 1e-6));
    // CROSS JOIN keeps the R*Tree first: otherwise the planner starts from the code's index and looks up
    // every open work order of the code in the tree (measured 20–40 ms for potholes at city scale).
    // Overlap, not containment: the R*Tree stores 32-bit boxes rounded outwards around each point.
    const near = db.all<Row>(sql`SELECT ${columns} FROM work_order_area a CROSS JOIN work_orders w ON w.id = a.id
      WHERE a.max_lat >= ${lat - dLat} AND a.min_lat <= ${lat + dLat} AND a.max_lon >= ${lon - dLon} AND a.min_lon <= ${lon + dLon}
        AND ${sameKindInTree} AND ${sameKind} AND ${openStatuses} AND w.created_at >= ${since}${exclude}`);
    for (const row of near) rows.set(row.id, row);
  }
  // The same registry address is the same place, wherever the coordinates were put (across the street,
  // mid-block) — and the only place a report without coordinates can be compared by.
  if (probe.addressId !== null) {
    const same = db.all<Row & { sameAddress: 1 }>(sql`SELECT ${columns}, 1 AS sameAddress FROM work_orders w
      WHERE w.address_id = ${probe.addressId} AND ${sameKind} AND ${openStatuses} AND w.created_at >= ${since}${exclude}`);
    for (const row of same) rows.set(row.id, row);
  }

  const wanted = matchValueOf(rule, probe.answers);
  const candidates: Candidate[] = [];
  for (const row of rows.values()) {
    const sameAddress = (row as Partial<{ sameAddress: 1 }>).sameAddress === 1;
    const measured = lat !== null && lon !== null && row.latitude !== null && row.longitude !== null ? greatCircleMeters(lat, lon, row.latitude, row.longitude) : null;
    if (!sameAddress && (measured === null || measured > rule.radiusMeters)) continue;
    const distance = sameAddress ? null : measured;
    // Two different pole numbers are two different poles, however close.
    if (wanted !== null && row.matchValue !== null && row.matchValue !== wanted) continue;
    const ageMs = Math.max(0, now.getTime() - Date.parse(row.createdAt));
    const nearness = distance === null ? 1 : 1 - distance / Math.max(rule.radiusMeters, 1);
    const freshness = 1 - Math.min(1, ageMs / windowMs);
    const sameAttribute = wanted !== null && row.matchValue === wanted;
    const score = sameAttribute ? 1 : Math.round((0.75 * nearness + 0.25 * freshness) * 1000) / 1000;
    const classification = JSON.parse(row.classification) as Classification;
    const reasons = [
      row.problemCodeId === codeId ? 'same code' : `same category (${classification.path.find((p) => p.level === 'category')?.name ?? 'category'})`,
      distance === null ? 'same address' : `${Math.round(distance)} m`,
      ...(sameAttribute ? [`same ${attributeName} ${wanted}`] : []),
      ago(ageMs),
      `${row.callers} caller${row.callers === 1 ? '' : 's'}`,
    ];
    candidates.push({
      number: row.number,
      status: row.status,
      classification,
      locationText: row.locationText,
      assignee: row.assignee,
      createdAt: row.createdAt,
      dueAt: row.dueAt,
      distanceMeters: distance === null ? null : Math.round(distance * 10) / 10,
      callers: row.callers,
      score,
      strong: score >= options.strongScore,
      reasons,
    });
  }
  candidates.sort((a, b) => b.score - a.score || b.callers - a.callers || a.createdAt.localeCompare(b.createdAt));
  return { rule, candidates };
}
