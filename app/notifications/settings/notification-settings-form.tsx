"use client";

import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import {
  NOTIFICATION_CHANNEL_LABELS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationChannelName,
  type NotificationKindName,
} from "@/lib/shared/notifications/kinds";

type Channels = Record<NotificationKindName, NotificationChannelName>;

/** One select per kind, saved together. */
export function NotificationSettingsForm({ initial }: { initial: Channels }) {
  const [channels, setChannels] = useState(initial);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setStatus(null);
    setError(null);
    try {
      const saved = await apiRequest<{ channels: Channels }>("PATCH", "/api/notifications/preferences", {
        channels,
      });
      setChannels(saved.channels);
      setStatus("Saved.");
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Could not save the settings.");
    }
  }

  return (
    <form className="form form-wide" onSubmit={(event) => void onSubmit(event)}>
      {NOTIFICATION_KINDS.map((kind) => (
        <div className="field" key={kind}>
          <label htmlFor={`channel-${kind}`}>{NOTIFICATION_KIND_LABELS[kind]}</label>
          <select
            id={`channel-${kind}`}
            value={channels[kind]}
            onChange={(event) =>
              setChannels((current) => ({
                ...current,
                [kind]: event.target.value as NotificationChannelName,
              }))
            }
          >
            {NOTIFICATION_CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {NOTIFICATION_CHANNEL_LABELS[channel]}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className="field-row">
        <button type="submit" className="button button-primary">
          Save settings
        </button>
        <span role="status" className="status">
          {status}
        </span>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
