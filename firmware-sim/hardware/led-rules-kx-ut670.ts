// The LEDs of the Panasonic KX-UT670. The Administrator Guide describes no lamp patterns; the
// unit's one indicator is the Message/Ringer lamp, which (as on the KX-UT series' Operating
// Instructions) flashes green while a call is being received and lights red while a voice message
// waits: KX-UT670 5.8.1 VOICE_MESSAGE_AVAILABLE decides what "waits" means (src/phone/presence/mwi.ts).
// Flexible buttons (5.6.4, BLF buttons of 6.1) are soft keys on the touch screen, not lamps: their
// BLF state is GET /api/v1/blf and belongs to the display, not here.
import { flash, LED_OFF, steady, type LedRules } from './leds.js';

// DEVIATION: no rate is documented; the ringer flash is a 500 ms cycle (250 ms lit).
export const KX_RINGER_FLASH_MS = 500;

export const kxUt670LedRules: LedRules = {
  leds: [{ id: 'message-ringer', label: 'Message/Ringer lamp', colors: ['green', 'red'] }],
  looks(inputs) {
    // Ringing is the more urgent: it shows over a waiting message (also during call waiting).
    if ([...inputs.calls.values()].some((c) => c.direction === 'incoming' && c.state === 'ringing')) {
      return { 'message-ringer': flash('green', 'fast-flash', KX_RINGER_FLASH_MS, 'ringing') };
    }
    if ([...inputs.mwi.values()].some(Boolean)) return { 'message-ringer': steady('red', 'messages-waiting') };
    return { 'message-ringer': LED_OFF };
  },
};
