// The options page's settings: how often to sync, how to count, where to show chips.
// What the administrator's policy sets is shown as set, locked (lib/managed.ts).
// How to count (rule, mode, counted types, time zone) is each portal's own: with
// two or more portals, "Settings for" chooses whose values those fields edit.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { MIN_POLL_SECONDS } from '@/lib/flavour';
import { t } from '@/lib/i18n';
import { isLocked, type LockedSetting, type ManagedSettings, onManagedChanged } from '@/lib/managed';
import { modeWord, ruleWord } from '@/components/portal-way';
import type { Way } from '@/lib/counters/agreement';
import { DEFAULT_SETTINGS, loadSettingsWithPolicy, onSettingsChanged, type PageKind, type Settings, saveSettingsWithPolicy } from '@/lib/settings';
import { hostOf, type PortalSlot } from '@/lib/store/portals';

const POLL_CHOICES = [5, 15, 30, 60, 120, 300, 600, 1800].filter((s) => s >= MIN_POLL_SECONDS);
const CLASSIC_TYPES: [number, string][] = [
  [1, 'settingsTypeLeads'],
  [2, 'settingsTypeDeals'],
  [3, 'settingsTypeContacts'],
  [4, 'settingsTypeCompanies'],
];
const WEEKDAYS = [1, 0, 6];
const PAGE_KINDS: [PageKind, string][] = [
  ['lists', 'settingsChipsLists'],
  ['itemPages', 'settingsChipsItemPages'],
  ['elsewhere', 'settingsChipsElsewhere'],
];

/** The counted entity types chosen; null stored = the four classic ones. */
const countedOf = (settings: Settings) => settings.countedEntityTypes ?? CLASSIC_TYPES.map(([type]) => type);

function pollLabel(seconds: number): string {
  return seconds < 60 ? t('settingsSeconds', [String(seconds)]) : t('settingsMinutes', [String(seconds / 60)]);
}

function weekdayName(day: number): string {
  // 2026-11-01 was a Sunday.
  return new Intl.DateTimeFormat(browser.i18n.getUILanguage(), { weekday: 'long', timeZone: 'UTC' }).format(
    Date.UTC(2026, 10, 1 + day),
  );
}

/**
 * `slots`: the connected portals; `slot`: whose own values the per-portal fields show and edit (null: no
 * portal connected, the global record's); `onChooseSlot`: "Settings for" changed.
 */
export function SettingsCard(props: { slots: PortalSlot[]; slot: PortalSlot | null; onChooseSlot: (origin: string) => void }) {
  const { slots, slot } = props;
  const id = useId();
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [managed, setManaged] = useState<ManagedSettings>({});
  const [portalWay, setPortalWay] = useState<Way | null>(null);
  const [saved, setSaved] = useState(false);
  // The choices as the user last made them, before the save of the last one returns: a second click
  // right after a first builds on it (both boxes of two quick clicks stay checked).
  const latest = useRef<Settings>(settings);
  // Saves not yet returned: storage then holds an older state than the form shows.
  const saving = useRef(0);
  const show = (loaded: Awaited<ReturnType<typeof loadSettingsWithPolicy>>) => {
    latest.current = loaded.settings;
    setSettings(loaded.settings);
    setManaged(loaded.managed);
    setPortalWay(loaded.portal);
  };

  useEffect(() => {
    // Another portal chosen meanwhile: a read for the one before must not show.
    let current = true;
    const load = () =>
      void loadSettingsWithPolicy(slot).then((loaded) => {
        if (current && !saving.current) show(loaded);
      });
    load();
    // The portal's way changes after a check (lib/sync/portal-check.ts).
    const offSettings = onSettingsChanged(load);
    const offManaged = onManagedChanged(load);
    return () => {
      current = false;
      offSettings();
      offManaged();
    };
  }, [slot?.origin, slot?.dbName]);

  /** Shows the change at once and saves it; `change` as a function builds on the choices as last made. */
  const update = async (change: Partial<Settings> | ((choices: Settings) => Partial<Settings>)) => {
    const patch = typeof change === 'function' ? change(latest.current) : change;
    latest.current = { ...latest.current, ...patch };
    setSettings(latest.current);
    saving.current += 1;
    try {
      // The choices (not the settings in force): "As your portal counts" must stay checked once chosen.
      const after = await saveSettingsWithPolicy(patch, slot);
      // Only the last save's answer holds every change.
      if (saving.current === 1) show(after);
      setSaved(true);
    } catch (error) {
      console.warn('settings', error);
      if (saving.current === 1) show(await loadSettingsWithPolicy(slot));
    } finally {
      saving.current -= 1;
    }
  };
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const counted = countedOf(settings);
  const locked = (setting: LockedSetting) => isLocked(managed, setting);
  const minPoll = Math.max(MIN_POLL_SECONDS, managed.minPollSeconds ?? 0);
  const several = slots.length > 1 && slot !== null;

  return (
    <section class="card settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settingsTitle')}</h2>

      <div class="field">
        <label for={`${id}-poll`}>{t('settingsPoll')}</label>
        <select
          id={`${id}-poll`}
          value={String(settings.pollSeconds)}
          onChange={(e) => void update({ pollSeconds: Number(e.currentTarget.value) })}
        >
          {[...new Set([...POLL_CHOICES, settings.pollSeconds])]
            .filter((s) => s >= minPoll)
            .sort((a, b) => a - b)
            .map((s) => (
              <option key={s} value={String(s)}>
                {pollLabel(s)}
              </option>
            ))}
        </select>
        {managed.minPollSeconds !== undefined && <p class="muted help managed">{t('managedPollMin', [pollLabel(minPoll)])}</p>}
      </div>

      {several && (
        <div class="field">
          <label for={`${id}-portal`}>{t('settingsPortal')}</label>
          <select id={`${id}-portal`} value={slot.origin} onChange={(e) => props.onChooseSlot(e.currentTarget.value)}>
            {slots.map((s) => (
              <option key={s.origin} value={s.origin}>
                {hostOf(s.origin)}
              </option>
            ))}
          </select>
          <p class="muted help">{t('settingsPortalHelp')}</p>
        </div>
      )}
      <PerPortal several={several}>
        <Choices
          legend={t('settingsRule')}
          locked={locked('litRule')}
          name={`${id}-rule`}
          value={settings.litRule}
          options={[
            ['portal', t('settingsAsPortal')],
            ['day', t('settingsRuleDay')],
            ['lightTime', t('settingsRuleLightTime')],
          ]}
          onChange={(litRule) => void update({ litRule })}
        >
          <label class="inline" for={`${id}-offset`}>
            {t('settingsLightOffset')}
            <input
              id={`${id}-offset`}
              type="number"
              min={0}
              max={10080}
              value={settings.lightOffsetMinutes}
              disabled={settings.litRule === 'day' || locked('lightOffsetMinutes')}
              onChange={(e) => void update({ lightOffsetMinutes: Number(e.currentTarget.value) })}
            />
          </label>
          {locked('lightOffsetMinutes') && !locked('litRule') && <ManagedNote />}
        </Choices>

        <Choices
          legend={t('settingsMode')}
          locked={locked('counterMode')}
          name={`${id}-mode`}
          value={settings.counterMode}
          options={[
            ['portal', t('settingsAsPortal')],
            ['item', t('settingsModeItem')],
            ['activity', t('settingsModeActivity')],
          ]}
          onChange={(counterMode) => void update({ counterMode })}
        />
        {(settings.litRule === 'portal' || settings.counterMode === 'portal') && (
          <p class="muted help" data-portal-way={portalWay ? `${portalWay.litRule}/${portalWay.mode}` : ''}>
            {portalWay ? t('settingsPortalWay', [ruleWord(portalWay), modeWord(portalWay)]) : t('settingsPortalNotYet')}
          </p>
        )}

        <fieldset disabled={locked('countedEntityTypes')}>
          <legend>{t('settingsTypes')}</legend>
          {locked('countedEntityTypes') && <ManagedNote />}
          {CLASSIC_TYPES.map(([type, key]) => (
            <label class="choice" key={type}>
              <input
                type="checkbox"
                checked={counted.includes(type)}
                onChange={(e) => {
                  const checked = e.currentTarget.checked;
                  void update((choices) => {
                    const before = countedOf(choices);
                    const next = checked ? [...before.filter((x) => x !== type), type] : before.filter((x) => x !== type);
                    return { countedEntityTypes: next.length === 4 && next.every((x) => x <= 4) ? null : next };
                  });
                }}
              />
              {t(key)}
            </label>
          ))}
          <p class="muted help">{t('settingsTypesHelp')}</p>
        </fieldset>

        <div class="field">
          <label for={`${id}-zone`}>{t('settingsTimeZone')}</label>
          <select
            id={`${id}-zone`}
            value={settings.timeZone ?? ''}
            onChange={(e) => void update({ timeZone: e.currentTarget.value || null })}
          >
            <option value="">{t('settingsTimeZoneOwn')}</option>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
      </PerPortal>

      <div class="field">
        <label for={`${id}-week`}>{t('settingsWeekStart')}</label>
        <select
          id={`${id}-week`}
          value={String(settings.weekStart)}
          onChange={(e) => void update({ weekStart: Number(e.currentTarget.value) })}
        >
          {WEEKDAYS.map((day) => (
            <option key={day} value={String(day)}>
              {weekdayName(day)}
            </option>
          ))}
        </select>
      </div>

      <fieldset>
        <legend>{t('settingsChips')}</legend>
        {PAGE_KINDS.map(([kind, key]) => (
          <label class="choice" key={kind}>
            <input
              type="checkbox"
              checked={settings.chips[kind]}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                void update((choices) => ({ chips: { ...choices.chips, [kind]: checked } }));
              }}
            />
            {t(key)}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>{t('settingsNotificationsTitle')}</legend>
        {locked('notifications') && <ManagedNote />}
        <label class="choice">
          <input
            type="checkbox"
            checked={settings.notifications}
            disabled={locked('notifications')}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              // Asked for while the click still counts as the user's gesture.
              const granted = on
                ? browser.permissions.request({ permissions: ['notifications'] }).catch(() => false)
                : Promise.resolve(true);
              void granted.then((ok) => update({ notifications: on && ok }));
            }}
          />
          {t('settingsNotifications')}
        </label>
        {managed.notifications === true && <AllowNotifications />}
        <label class="inline" for={`${id}-quiet-from`}>
          {t('settingsQuietFrom')}
          <input
            id={`${id}-quiet-from`}
            type="time"
            value={settings.quietFrom ?? ''}
            disabled={!settings.notifications}
            onChange={(e) => void update({ quietFrom: e.currentTarget.value || null })}
          />
          <span>{t('settingsQuietTo')}</span>
          <input
            aria-label={t('settingsQuietTo')}
            type="time"
            value={settings.quietTo ?? ''}
            disabled={!settings.notifications}
            onChange={(e) => void update({ quietTo: e.currentTarget.value || null })}
          />
        </label>
      </fieldset>

      <p class="muted help">{t('settingsLanguage')}</p>
      <p class="muted" role="status">
        {saved ? t('settingsSaved') : ''}
      </p>
    </section>
  );
}

/** The fields each portal has its own of: set apart under "Settings for" when there are several portals, as they were with one. */
function PerPortal(props: { several: boolean; children: ComponentChildren }) {
  return props.several ? <div class="per-portal">{props.children}</div> : props.children;
}

/** Says that the administrator's policy sets what is beside it. */
function ManagedNote() {
  return <p class="muted help managed">{t('managedLocked')}</p>;
}

/**
 * Notifications on by policy need the permission, which the store builds ask
 * for at run time, and only a click may ask: one button, until it is granted.
 */
function AllowNotifications() {
  const [granted, setGranted] = useState(true);
  useEffect(() => {
    void browser.permissions.contains({ permissions: ['notifications'] }).then(setGranted);
  }, []);
  if (granted) return null;
  return (
    <button
      type="button"
      class="secondary"
      onClick={() => void browser.permissions.request({ permissions: ['notifications'] }).then(setGranted, () => setGranted(false))}
    >
      {t('managedAllowNotifications')}
    </button>
  );
}

/** A group of radio buttons with a legend; locked by the administrator's policy, disabled with a note. */
function Choices<T extends string>(props: {
  legend: string;
  name: string;
  value: T;
  options: [T, string][];
  onChange: (value: T) => void;
  locked?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.locked && <ManagedNote />}
      {props.options.map(([value, label]) => (
        <label class="choice" key={value}>
          <input
            type="radio"
            name={props.name}
            checked={props.value === value}
            disabled={props.locked}
            onChange={() => props.onChange(value)}
          />
          {label}
        </label>
      ))}
      {props.children}
    </fieldset>
  );
}
