// Settings → Widget: every agent may read what the widget looks like; only admins change it. A
// save reaches every open widget at once (the service fans it out).
import { Hono } from 'hono';
import { widgetSettingsBody, type ApiError } from '../../../shared/protocol';
import { jsonBody } from '../../http/validate';
import type { WidgetSettingsService } from '../../widgetSettings';
import type { InboxEnv } from '../auth';

export function widgetSettingsRoutes(widgetSettings: WidgetSettingsService): Hono<InboxEnv> {
  const routes = new Hono<InboxEnv>();

  routes.get('/settings/widget', (c) => c.json(widgetSettings.view()));

  routes.put('/settings/widget', async (c) => {
    if (c.get('agent').role !== 'admin') return c.json({ error: 'Only admins can change the widget' } satisfies ApiError, 403);
    const input = await jsonBody(c, widgetSettingsBody);
    if (!input.ok) return input.response;
    return c.json(await widgetSettings.save(input.value));
  });

  return routes;
}
