// Cross-parameter constraints the KX-UT670 Administrator Guide states, each with its section.
// A check reports only a disagreement between values that are each valid on their own; a value that
// fails its own rule is left to the per-value validator (the check stays silent on it).
import type { CrossCheck } from '../../../src/settings/types.js';
import { BUTTON_COUNT, LINE_COUNT } from './rules.js';

const INTEGER = /^-?[0-9]+$/;

function asInt(value: string): number | undefined {
  return INTEGER.test(value) ? Number(value) : undefined;
}

function indices(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** 5.7.2 MAX_DELAY/MIN_DELAY/NOM_DELAY notes: MIN <= NOM < MAX and MIN < MAX, per line. */
function jitterBuffer(n: number): CrossCheck {
  const [minName, nomName, maxName] = [`MIN_DELAY_${n}`, `NOM_DELAY_${n}`, `MAX_DELAY_${n}`];
  return {
    names: [minName, nomName, maxName],
    section: '5.7.2',
    check: (get) => {
      const [min, nom, max] = [asInt(get(minName)), asInt(get(nomName)), asInt(get(maxName))];
      if (min === undefined || nom === undefined || max === undefined) return undefined;
      if (min > nom) return `${minName} (${min}) must be less than or equal to ${nomName} (${nom})`;
      if (nom >= max) return `${nomName} (${nom}) must be less than ${maxName} (${max})`;
      if (min >= max) return `${minName} (${min}) must be less than ${maxName} (${max})`;
      return undefined;
    },
  };
}

/** 5.7.2 RTP_PORT_MIN note: "must be less than or equal to RTP_PORT_MAX - 400" (and MAX >= MIN + 400). */
const rtpPorts: CrossCheck = {
  names: ['RTP_PORT_MIN', 'RTP_PORT_MAX'],
  section: '5.7.2',
  check: (get) => {
    const [min, max] = [asInt(get('RTP_PORT_MIN')), asInt(get('RTP_PORT_MAX'))];
    if (min === undefined || max === undefined) return undefined;
    return min <= max - 400 ? undefined : `RTP_PORT_MIN (${min}) must be less than or equal to RTP_PORT_MAX - 400 (${max - 400})`;
  },
};

/** 5.8.1: "You cannot set both SHARED_CALL_ENABLE_n and FWD_DND_SYNCHRO_ENABLE_n to Y at the same time." */
function sharedCallVsDndSync(n: number): CrossCheck {
  const [shared, sync] = [`SHARED_CALL_ENABLE_${n}`, `FWD_DND_SYNCHRO_ENABLE_${n}`];
  return {
    names: [shared, sync],
    section: '5.8.1',
    check: (get) => (get(shared) === 'Y' && get(sync) === 'Y' ? `${shared} and ${sync} cannot both be "Y"` : undefined),
  };
}

/** 4.6.2.5 Source Port: "The SIP port number for each line must be unique." */
const uniqueSourcePorts: CrossCheck = {
  names: indices(LINE_COUNT).map((n) => `SIP_SRC_PORT_${n}`),
  section: '4.6.2.5',
  check: (get) => {
    const seen = new Map<string, string>();
    for (const n of indices(LINE_COUNT)) {
      const name = `SIP_SRC_PORT_${n}`;
      const port = get(name);
      const first = seen.get(port);
      if (first !== undefined) return `${name} (${port}) is the same port as ${first}; each line needs its own source port`;
      seen.set(port, name);
    }
    return undefined;
  },
};

/**
 * 5.6.4 FLEX_BUTTON_FACILITY_ARGx: "The value range differs depending on the flexible button set in
 * FLEX_BUTTON_FACILITY_ACTx": DN 1–32 (ringtone number), 1–6 (line number); HEADSET not available
 * (the argument is ignored); CONTACT and ONETOUCH a 1–32 digit number (6.1: "Specify a 1–32 digit
 * number"). An empty or unknown action means no action, so nothing to check.
 * The order inside the DN value is not stated (garbled place 12; default "1,1"); we read it in the
 * order the manual lists the two numbers: "ringtone,line". A DN argument may be empty (optional).
 * "Digit" is read as a dial-pad digit: 0–9, * and #.
 */
function flexButtonArgument(x: number): CrossCheck {
  const [actName, argName] = [`FLEX_BUTTON_FACILITY_ACT${x}`, `FLEX_BUTTON_FACILITY_ARG${x}`];
  return {
    names: [actName, argName],
    section: '5.6.4',
    check: (get) => {
      const action = get(actName);
      const arg = get(argName);
      switch (action) {
        case 'X_PANASONIC_IPTEL_DN': {
          if (arg === '') return undefined;
          const m = /^([0-9]+),([0-9]+)$/.exec(arg);
          const ringtone = m ? Number(m[1]) : NaN;
          const line = m ? Number(m[2]) : NaN;
          if (ringtone >= 1 && ringtone <= 32 && line >= 1 && line <= LINE_COUNT) return undefined;
          return `${argName} "${arg}" must be "ringtone,line" (ringtone 1–32, line 1–6) when ${actName} is X_PANASONIC_IPTEL_DN`;
        }
        case 'X_PANASONIC_IPTEL_CONTACT':
        case 'X_PANASONIC_IPTEL_ONETOUCH':
          return /^[0-9*#]{1,32}$/.test(arg) ? undefined : `${argName} "${arg}" must be a 1–32 digit number when ${actName} is ${action}`;
        default:
          return undefined;
      }
    },
  };
}

export const kxUt670CrossChecks: readonly CrossCheck[] = [
  ...indices(LINE_COUNT).map(jitterBuffer),
  rtpPorts,
  ...indices(LINE_COUNT).map(sharedCallVsDndSync),
  uniqueSourcePorts,
  ...indices(BUTTON_COUNT).map(flexButtonArgument),
];
