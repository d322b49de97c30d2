/* GTK pieces both GIMP front ends share: see ar_ui.h. */
#include <string.h>

#include "ar_common.h"
#include "ar_ui.h"

static GtkWidget *
hbox_new (gint spacing)
{
#if GTK_CHECK_VERSION (3, 0, 0)
  return gtk_box_new (GTK_ORIENTATION_HORIZONTAL, spacing);
#else
  return gtk_hbox_new (FALSE, spacing);
#endif
}

GtkWidget *
ar_left_label_new (const gchar *text)
{
  GtkWidget *label = gtk_label_new (text);

#if GTK_CHECK_VERSION (3, 16, 0)
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
#else
  gtk_misc_set_alignment (GTK_MISC (label), 0.0, 0.5);
#endif
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  return label;
}

/* GTK 2 draws a progress bar's text whenever it is set; GTK 3 only when asked to. */
static GtkWidget *
progress_bar_with_text (void)
{
  GtkWidget *bar = gtk_progress_bar_new ();

#if GTK_CHECK_VERSION (3, 0, 0)
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
#endif
  return bar;
}

static void
progress_bar_show (GtkWidget *bar,
                   gdouble    fraction)
{
  gchar *text = g_strdup_printf ("%.0f %%", fraction * 100.0);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), fraction);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (bar), text);
  g_free (text);
}

/* ------------------------------------------------------------------------------------------ */
/* Score bars                                                                                  */
/* ------------------------------------------------------------------------------------------ */

#define SCORE_KEY "ar-score"

/* The theme's text colour contrasts with its background by design (dark or light theme); a
 * progress bar's fill need not (GIMP 2.10's dark theme: RGB 59 on a trough of 69). */
static void
score_paint (GtkWidget *area,
             cairo_t   *cr,
             gint       width,
             gint       height)
{
  gdouble score = *(gfloat *) g_object_get_data (G_OBJECT (area), SCORE_KEY);
  gdouble r, g, b;
  gdouble bar_h = MIN (height, 10);
  gdouble y0    = (height - bar_h) / 2.0;

#if GTK_CHECK_VERSION (3, 0, 0)
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (area),
                               gtk_widget_get_state_flags (area), &fg);
  r = fg.red; g = fg.green; b = fg.blue;
#else
  GdkColor fg = gtk_widget_get_style (area)->fg[GTK_STATE_NORMAL];

  r = fg.red / 65535.0; g = fg.green / 65535.0; b = fg.blue / 65535.0;
#endif
  cairo_set_source_rgba (cr, r, g, b, 0.18);
  cairo_rectangle (cr, 0, y0, width, bar_h);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, r, g, b, 0.85);
  cairo_rectangle (cr, 0, y0, width * CLAMP (score, 0.0, 1.0), bar_h);
  cairo_fill (cr);
}

#if GTK_CHECK_VERSION (3, 0, 0)
static gboolean
score_draw (GtkWidget *area,
            cairo_t   *cr,
            gpointer   data)
{
  score_paint (area, cr, gtk_widget_get_allocated_width (area),
               gtk_widget_get_allocated_height (area));
  return TRUE;
}
#else
static gboolean
score_expose (GtkWidget      *area,
              GdkEventExpose *event,
              gpointer        data)
{
  cairo_t       *cr = gdk_cairo_create (gtk_widget_get_window (area));
  GtkAllocation  a;

  gtk_widget_get_allocation (area, &a);
  score_paint (area, cr, a.width, a.height);
  cairo_destroy (cr);
  return TRUE;
}
#endif

GtkWidget *
ar_score_bar_new (gfloat score)
{
  GtkWidget *box  = hbox_new (6);
  GtkWidget *area = gtk_drawing_area_new ();
  GtkWidget *label;
  gfloat    *value = g_new (gfloat, 1);
  gchar     *text  = g_strdup_printf ("%3.0f %%", CLAMP (score, 0.0f, 1.0f) * 100.0);

  *value = score;
  g_object_set_data_full (G_OBJECT (area), SCORE_KEY, value, g_free);
  gtk_widget_set_size_request (area, 160, 12);
#if GTK_CHECK_VERSION (3, 0, 0)
  g_signal_connect (area, "draw", G_CALLBACK (score_draw), NULL);
  gtk_widget_set_hexpand (area, TRUE);
#else
  g_signal_connect (area, "expose-event", G_CALLBACK (score_expose), NULL);
#endif
  gtk_box_pack_start (GTK_BOX (box), area, TRUE, TRUE, 0);

  label = gtk_label_new (text);
  gtk_label_set_width_chars (GTK_LABEL (label), 5);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
  g_free (text);
  gtk_widget_show_all (box);
  return box;
}

GtkWidget *
ar_analysis_frame_new (AutorestoreEngine         *engine,
                       const AutorestoreAnalysis *analysis,
                       const gchar               *analysis_error)
{
  GtkWidget *frame = gimp_frame_new ("What the analysis found");
  GtkWidget *vbox;
  GtkWidget *label;
  GtkSizeGroup *names;
  guint      i, n;

  if (analysis == NULL || engine == NULL)
    {
      label = ar_left_label_new (analysis_error ? analysis_error : "No analysis available.");
      gtk_container_add (GTK_CONTAINER (frame), label);
      gtk_widget_show (label);
      return frame;
    }

#if GTK_CHECK_VERSION (3, 0, 0)
  vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
#else
  vbox = gtk_vbox_new (FALSE, 4);
#endif
  gtk_container_add (GTK_CONTAINER (frame), vbox);
  names = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  n = MIN (analysis->degradation_count, AUTORESTORE_MAX_DEGRADATIONS);
  for (i = 0; i < n; i++)
    {
      const gchar *name = autorestore_engine_degradation_name (engine, i);
      GtkWidget   *row  = hbox_new (6);

      label = ar_left_label_new (name ? ar_kind_label (name) : "?");
      gtk_size_group_add_widget (names, label);
      gtk_box_pack_start (GTK_BOX (row), label, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (row), ar_score_bar_new (analysis->scores[i]), TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (vbox), row, FALSE, FALSE, 0);
    }
  g_object_unref (names);

  {
    const gchar *note    = autorestore_engine_device_note (engine);
    gchar       *verdict = ar_analysis_verdict (engine, analysis);
    gchar       *device  = ar_device_summary (engine);

    label = ar_left_label_new (verdict);
    gtk_box_pack_start (GTK_BOX (vbox), label, FALSE, FALSE, 4);
    label = ar_left_label_new (device);
    /* The library's technical reason, for whoever sets up the GPU (Help says how). */
    if (note && note[0])
      gimp_help_set_help_data (label, note, NULL);
    gtk_box_pack_start (GTK_BOX (vbox), label, FALSE, FALSE, 0);
    g_free (verdict);
    g_free (device);
  }
  gtk_widget_show_all (vbox);
  return frame;
}

/* ------------------------------------------------------------------------------------------ */
/* Steps, help                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static gboolean
steps_output (GtkSpinButton *spin,
              gpointer       data)
{
  gchar *text = ar_steps_text (gtk_spin_button_get_value_as_int (spin), GPOINTER_TO_UINT (data));

  if (strcmp (text, gtk_entry_get_text (GTK_ENTRY (spin))) != 0)
    gtk_entry_set_text (GTK_ENTRY (spin), text);
  g_free (text);
  return TRUE;
}

static gint
steps_input (GtkSpinButton *spin,
             gdouble       *value,
             gpointer       data)
{
  if (strstr (gtk_entry_get_text (GTK_ENTRY (spin)), "default") == NULL)
    return FALSE;  /* a number: GTK parses it */
  *value = 0;
  return TRUE;
}

void
ar_steps_spin_setup (GtkSpinButton *spin,
                     guint          default_steps)
{
  g_signal_connect (spin, "output", G_CALLBACK (steps_output), GUINT_TO_POINTER (default_steps));
  g_signal_connect (spin, "input", G_CALLBACK (steps_input), NULL);
  /* A numeric spin button refuses the text "(model default)". */
  gtk_spin_button_set_numeric (spin, FALSE);
  gtk_entry_set_width_chars (GTK_ENTRY (spin), 18);
  gtk_spin_button_update (spin);
  steps_output (spin, GUINT_TO_POINTER (default_steps));
}

#define HELP_URI_KEY "ar-help-uri"

void
ar_help_set_uri (GtkWidget   *dialog,
                 const gchar *uri)
{
  g_object_set_data_full (G_OBJECT (dialog), HELP_URI_KEY, g_strdup (uri), g_free);
}

void
ar_help_show (const gchar *help_id,
              gpointer     help_data)
{
  const gchar *uri   = help_data ? g_object_get_data (G_OBJECT (help_data), HELP_URI_KEY) : NULL;
  GError      *error = NULL;

  if (uri == NULL)
    {
      gimp_message ("Auto Restore: the help page is not installed "
                    "(plug-ins/autorestore/help/index.html); run make install-gimp again.");
      return;
    }
  if (! gtk_show_uri (NULL, uri, GDK_CURRENT_TIME, &error))
    {
      gchar *text = g_strdup_printf ("Auto Restore help: open %s in a web browser (%s).",
                                     uri, error->message);

      gimp_message (text);
      g_free (text);
      g_error_free (error);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Progress window with a Cancel button                                                        */
/* ------------------------------------------------------------------------------------------ */

struct _ArProgressDialog
{
  GtkWidget *window;
  GtkWidget *bar;
  gboolean   cancelled;
  gdouble    last;
};

static void
progress_response (GtkDialog        *window,
                   gint              response,
                   ArProgressDialog *dialog)
{
  dialog->cancelled = TRUE;
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (dialog->bar), "Cancelling...");
  gtk_dialog_set_response_sensitive (window, GTK_RESPONSE_CANCEL, FALSE);
}

static gboolean
progress_delete (GtkWidget        *window,
                 GdkEvent         *event,
                 ArProgressDialog *dialog)
{
  progress_response (GTK_DIALOG (window), GTK_RESPONSE_CANCEL, dialog);
  return TRUE;  /* keep the window until the library has stopped */
}

ArProgressDialog *
ar_progress_dialog_new (const gchar *text)
{
  ArProgressDialog *dialog = g_new0 (ArProgressDialog, 1);
  GtkWidget        *vbox;

  dialog->window = gimp_dialog_new ("Auto Restore", AR_PLUG_IN_ROLE "-progress",
                                    NULL, 0, NULL, NULL,
                                    "_Cancel", GTK_RESPONSE_CANCEL,
                                    NULL);
  gimp_window_set_transient (GTK_WINDOW (dialog->window));

#if GTK_CHECK_VERSION (3, 0, 0)
  vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
#else
  vbox = gtk_vbox_new (FALSE, 6);
#endif
  gtk_container_set_border_width (GTK_CONTAINER (vbox), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog->window))),
                      vbox, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (vbox), ar_left_label_new (text), FALSE, FALSE, 0);

  dialog->bar = progress_bar_with_text ();
  gtk_widget_set_size_request (dialog->bar, 300, -1);
  gtk_box_pack_start (GTK_BOX (vbox), dialog->bar, FALSE, FALSE, 0);

  g_signal_connect (dialog->window, "response", G_CALLBACK (progress_response), dialog);
  g_signal_connect (dialog->window, "delete-event", G_CALLBACK (progress_delete), dialog);

  gtk_widget_show_all (dialog->window);
  return dialog;
}

gboolean
ar_progress_dialog_tick (gdouble  fraction,
                         gpointer data)
{
  ArProgressDialog *dialog = data;

  /* Redraw at most every half percent: the library ticks per tile row, often thousands. */
  if (! dialog->cancelled && (fraction >= 1.0 || fraction - dialog->last >= 0.005))
    {
      progress_bar_show (dialog->bar, fraction);
      gimp_progress_update (fraction);
      dialog->last = fraction;
    }

  while (gtk_events_pending ())
    gtk_main_iteration ();

  return ! dialog->cancelled;
}

void
ar_progress_dialog_destroy (ArProgressDialog *dialog)
{
  if (dialog == NULL)
    return;
  gtk_widget_destroy (dialog->window);
  while (gtk_events_pending ())
    gtk_main_iteration ();
  g_free (dialog);
}

/* ------------------------------------------------------------------------------------------ */
/* Progress for the host table                                                                 */
/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  ArProgressDialog *dialog;  /* NULL: GIMP's progress bar only */
  gdouble           last;
} UiProgress;

gpointer
ar_ui_progress_begin (const gchar *text,
                      gboolean     cancellable)
{
  UiProgress *p = g_new0 (UiProgress, 1);

  gimp_progress_init (text);
  if (cancellable)
    p->dialog = ar_progress_dialog_new (text);
  return p;
}

gboolean
ar_ui_progress_tick (gdouble  fraction,
                     gpointer progress)
{
  UiProgress *p = progress;

  if (p->dialog)
    return ar_progress_dialog_tick (fraction, p->dialog);
  if (fraction >= 1.0 || fraction - p->last >= 0.005)
    {
      gimp_progress_update (fraction);
      p->last = fraction;
    }
  return TRUE;
}

void
ar_ui_progress_end (gpointer progress)
{
  UiProgress *p = progress;

  ar_progress_dialog_destroy (p->dialog);
  gimp_progress_end ();
  g_free (p);
}

/* ------------------------------------------------------------------------------------------ */
/* Live preview                                                                                */
/* ------------------------------------------------------------------------------------------ */

struct _ArUiPreview
{
  GimpPreview  *widget;
  ArPreview    *preview;
  const Babl   *fish;        /* float -> u8, the drawable's layout */
  gint          u8_bpp;
  ArParamsFunc  get_params;
  gpointer      params_data;
  gulong        handler;
  gulong        early;       /* the area's size-allocate, until the first "invalidated" */
  gulong        toggled;     /* notify::update (the Preview check box) */
  GtkWidget    *status;      /* says what the preview shows: quick, exact, original */
};

/* What the preview shows, under it: the quick view is only an approximation, so it says so
 * until the exact one (what OK gives) replaces it. */
#define STATUS_WAIT  "Restoring the preview..."
#define STATUS_QUICK "Quick preview (half resolution)..."
#define STATUS_EXACT "Exact preview (what OK gives)"
#define STATUS_OFF   "Preview off: the original"
#define STATUS_FAIL  "Preview failed (see the message)"

/* One line, sized once for the longest text: a label that grew or shrank with its text would
 * resize the preview, which asks for a new view and a new restore, and so on. */
static GtkWidget *
status_label_new (gboolean update)
{
  const gchar *texts[] = { STATUS_WAIT, STATUS_QUICK, STATUS_EXACT, STATUS_OFF, STATUS_FAIL };
  GtkWidget   *label   = ar_left_label_new ("");
  gint         width   = 0, height = 0;

  gtk_label_set_line_wrap (GTK_LABEL (label), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (label, texts[i]);
      gint         w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      width  = MAX (width, w);
      height = MAX (height, h);
      g_object_unref (layout);
    }
  gtk_widget_set_size_request (label, width, height);
  gtk_label_set_text (GTK_LABEL (label), update ? STATUS_WAIT : STATUS_OFF);
  return label;
}

static void
preview_show (const ArRect       *view,
              const ArFloatImage *image,
              gboolean            exact,
              const GError       *error,
              gpointer            data)
{
  ArUiPreview *p = data;
  guchar      *buf;
  gsize        n;

  if (image == NULL)
    {
      gtk_label_set_text (GTK_LABEL (p->status), STATUS_FAIL);
      gimp_message (error->message);
      return;
    }
  gtk_label_set_text (GTK_LABEL (p->status), exact ? STATUS_EXACT : STATUS_QUICK);
  n   = (gsize) view->width * view->height;
  buf = g_try_malloc (n * p->u8_bpp);
  if (buf == NULL)
    return;
  babl_process (p->fish, image->data, buf, n);
  gimp_preview_draw_buffer (p->widget, buf, view->width * p->u8_bpp);
  g_free (buf);
}

static void
preview_request (GimpPreview *widget,
                 ArUiPreview *p)
{
  ArParams params;
  ArRect   view;
  GError  *error = NULL;

  if (! p->get_params (p->params_data, &params))
    return;
  gimp_preview_get_position (widget, &view.x, &view.y);
  gimp_preview_get_size (widget, &view.width, &view.height);
  if (view.width <= 0 || view.height <= 0)
    return;
  if (! ar_preview_request (p->preview, &params, &view, &error))
    {
      gtk_label_set_text (GTK_LABEL (p->status), STATUS_FAIL);
      gimp_message (error->message);
      g_error_free (error);
      return;
    }
  /* What is drawn now is older than the request (the quick view of the same request, still
   * coming, keeps its label). */
  if (ar_preview_restoring (p->preview))
    gtk_label_set_text (GTK_LABEL (p->status), STATUS_WAIT);
}

static void
preview_invalidated (GimpPreview *widget,
                     ArUiPreview *p)
{
  if (p->early)
    {
      g_signal_handler_disconnect (gimp_preview_get_area (widget), p->early);
      p->early = 0;
    }
  preview_request (widget, p);
}

/* The first view is known once the area is laid out; GimpPreview then waits 200 ms
 * (PREVIEW_TIMEOUT in libgimpwidgets/gimppreview.c) before "invalidated". Asking here starts
 * the restore that much earlier; the "invalidated" for the same view starts nothing new
 * (ar_preview_request). */
static void
preview_area_allocated (GtkWidget     *area,
                        GtkAllocation *allocation,
                        ArUiPreview   *p)
{
  if (gimp_preview_get_update (p->widget))
    preview_request (p->widget, p);
}

/* Preview switched off: GimpPreview draws the original (no "invalidated"). */
static void
preview_toggled (GObject     *widget,
                 GParamSpec  *pspec,
                 ArUiPreview *p)
{
  if (! gimp_preview_get_update (p->widget))
    gtk_label_set_text (GTK_LABEL (p->status), STATUS_OFF);
}

ArUiPreview *
ar_ui_preview_new (GimpPreview               *widget,
                   AutorestoreEngine         *engine,
                   const AutorestoreAnalysis *analysis,
                   const ArRect              *region,
                   const ArHost              *host,
                   gpointer                   host_data,
                   const Babl                *float_format,
                   const Babl                *u8_format,
                   ArParamsFunc               get_params,
                   gpointer                   params_data)
{
  ArUiPreview *p = g_new0 (ArUiPreview, 1);

  p->widget      = widget;
  p->preview     = ar_preview_new (engine, analysis, region, host->read_region, host_data,
                                   preview_show, p);
  p->fish        = babl_fish (float_format, u8_format);
  p->u8_bpp      = babl_format_get_bytes_per_pixel (u8_format);
  p->get_params  = get_params;
  p->params_data = params_data;
  p->handler     = g_signal_connect (widget, "invalidated", G_CALLBACK (preview_invalidated), p);
  /* after GimpPreview's own handler, which sets the view's size */
  p->early       = g_signal_connect_after (gimp_preview_get_area (widget), "size-allocate",
                                           G_CALLBACK (preview_area_allocated), p);
  p->toggled     = g_signal_connect (widget, "notify::update", G_CALLBACK (preview_toggled), p);
  /* In the preview's own box (a GtkBox in GIMP 2.10 and 3), under its Preview check box. */
  p->status      = status_label_new (gimp_preview_get_update (widget));
  gtk_box_pack_start (GTK_BOX (widget), p->status, FALSE, FALSE, 0);
  gtk_widget_show (p->status);
  return p;
}

void
ar_ui_preview_update (ArUiPreview *p)
{
  if (p)
    gimp_preview_invalidate (p->widget);
}

void
ar_ui_preview_free (ArUiPreview *p)
{
  if (p == NULL)
    return;
  ar_preview_free (p->preview);
  g_signal_handler_disconnect (p->widget, p->handler);
  g_signal_handler_disconnect (p->widget, p->toggled);
  if (p->early)
    g_signal_handler_disconnect (gimp_preview_get_area (p->widget), p->early);
  g_free (p);
}
