// Address ranges of allow lists, judged as sets: a list admits every address when its ranges
// together cover the whole IPv4 or IPv6 space (`0.0.0.0/1` + `128.0.0.0/1` as much as `0.0.0.0/0`).

export type IpFamily = "IPv4" | "IPv6";

interface Range {
    family: IpFamily;
    start: bigint;
    end: bigint;
}

const BITS: Record<IpFamily, number> = { IPv4: 32, IPv6: 128 };

/** Spellings of "every address" that are not CIDRs (seen in IP access lists and exports). */
const EVERYTHING = new Set(["*", "0.0.0.0", "any"]);

/** What an allow list's ranges admit, with the entries that decide it. */
export interface Coverage {
    /** The families whose whole address space the list admits. */
    everything: IpFamily[];
    /** The entries that together admit a whole family (empty when nothing covers). */
    covering: string[];
    /** Entries that are not addresses or CIDR ranges. */
    malformed: string[];
}

/** Parses `a.b.c.d[/n]` or an IPv6 address `[/n]`; undefined when malformed. */
export function parseRange(text: string): Range | undefined {
    const s = text.trim();
    const slash = s.indexOf("/");
    const addr = slash < 0 ? s : s.slice(0, slash);
    const prefixText = slash < 0 ? undefined : s.slice(slash + 1);
    const family: IpFamily | undefined = addr.includes(":") ? "IPv6" : /^\d+\.\d+\.\d+\.\d+$/.test(addr) ? "IPv4" : undefined;
    if (family === undefined) {
        return undefined;
    }
    const bits = BITS[family];
    if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) {
        return undefined;
    }
    const prefix = prefixText === undefined ? bits : Number(prefixText);
    if (prefix > bits) {
        return undefined;
    }
    const value = family === "IPv4" ? ipv4(addr) : ipv6(addr);
    if (value === undefined) {
        return undefined;
    }
    const hostBits = BigInt(bits - prefix);
    const start = (value >> hostBits) << hostBits;
    return { family, start, end: start + (1n << hostBits) - 1n };
}

function ipv4(addr: string): bigint | undefined {
    const parts = addr.split(".").map(Number);
    if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) {
        return undefined;
    }
    return parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n);
}

function ipv6(addr: string): bigint | undefined {
    const halves = addr.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (h: string) => (h === "" ? [] : h.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const fill = 8 - head.length - tail.length;
    if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) {
        return undefined;
    }
    const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill("0"), ...tail];
    let value = 0n;
    for (const g of all) {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) {
            return undefined;
        }
        value = (value << 16n) + BigInt(parseInt(g, 16));
    }
    return value;
}

/** Whether the ranges of a list admit a whole address family, and which entries make it so. */
export function coverage(entries: readonly string[]): Coverage {
    const malformed: string[] = [];
    const byFamily: Record<IpFamily, { range: Range; text: string }[]> = { IPv4: [], IPv6: [] };
    const everything = new Set<IpFamily>();
    const covering: string[] = [];
    for (const text of entries) {
        if (EVERYTHING.has(text.trim().toLowerCase())) {
            everything.add("IPv4");
            covering.push(text);
            continue;
        }
        const r = parseRange(text);
        if (r === undefined) {
            malformed.push(text);
        } else {
            byFamily[r.family].push({ range: r, text });
        }
    }
    for (const family of ["IPv4", "IPv6"] as const) {
        const list = byFamily[family];
        if (list.length === 0 || everything.has(family)) {
            continue;
        }
        if (coversSpace(list.map(x => x.range), family)) {
            everything.add(family);
            // A single entry that covers alone is named alone; else every range of the family.
            const whole = list.find(x => x.range.start === 0n && x.range.end === (1n << BigInt(BITS[family])) - 1n);
            covering.push(...(whole ? [whole.text] : list.map(x => x.text)));
        }
    }
    return { everything: [...everything], covering, malformed };
}

function coversSpace(ranges: Range[], family: IpFamily): boolean {
    const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const last = (1n << BigInt(BITS[family])) - 1n;
    let next = 0n;
    for (const r of sorted) {
        if (r.start > next) {
            return false;
        }
        if (r.end + 1n > next) {
            next = r.end + 1n;
        }
        if (next > last) {
            return true;
        }
    }
    return false;
}

/** Why a catch-all allow list fails, in every message that says so. */
export const CATCH_ALL = "an allow list that admits every address restricts nothing";
