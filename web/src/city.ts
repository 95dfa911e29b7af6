import { useCallback, useState } from 'react';

/** A city buyers can choose: where theatres are, with the zone their clocks keep. */
export interface City {
  name: string;
  state: string;
  timezone: string;
}

const KEY = 'marquee.city';

function load(): City | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const city = JSON.parse(raw) as Partial<City>;
    return city.name && city.timezone ? { name: city.name, state: city.state ?? '', timezone: city.timezone } : null;
  } catch {
    return null;
  }
}

/** The buyer's city, remembered in this browser between visits. */
export function useCity(): [City | null, (city: City | null) => void] {
  const [city, setCityState] = useState<City | null>(load);
  const setCity = useCallback((next: City | null) => {
    setCityState(next);
    try {
      if (next) localStorage.setItem(KEY, JSON.stringify(next));
      else localStorage.removeItem(KEY);
    } catch {
      // Not remembered; still chosen for this visit.
    }
  }, []);
  return [city, setCity];
}

export const cityKey = (c: { name: string; state: string }) => `${c.name}|${c.state}`;
