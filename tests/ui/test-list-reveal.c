/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MwListReveal in a real list view: 300 items reach the view a few at a time (GTK 4.8 keeps a
 * row for up to 200 of them), never more than the view already had plus what fits in one frame;
 * a change of the whole list waits until the view is down to `step` rows, runs once however
 * often it was asked, and the list then comes in again; on a short list a change runs at once.
 * Rows are counted as the factory makes and destroys them. */
#include "config.h"

#include "mw-list-reveal.h"
#include "mw-test-ui.h"

#define STEP 12
#define N 300

typedef struct
{
  GtkStringList *strings;
  MwListReveal *reveal;
  GtkWidget *window;
  GtkListView *view;
  guint n_rows;                       /* alive */
  guint applied;
  guint shown_at_apply;
  gboolean second_half;               /* what apply shows: the items' second half */
} Fixture;

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             Fixture                  *fixture)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
  fixture->n_rows++;
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            Fixture                  *fixture)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
on_teardown_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                Fixture                  *fixture)
{
  fixture->n_rows--;
}

static guint
n_view (Fixture *fixture)
{
  return g_list_model_get_n_items (mw_list_reveal_get_model (fixture->reveal));
}

/* The owner's wanted list: the strings' first or second half, swapped in place. */
static void
apply (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  fixture->applied++;
  fixture->shown_at_apply = n_view (fixture);
  for (guint i = 0; i < N; i++)
    g_ptr_array_add (names, g_strdup_printf ("%s %03u", fixture->second_half ? "b" : "a", i));
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (fixture->strings, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (fixture->strings)),
                          (const char * const *) names->pdata);
}

static gboolean
settled (gpointer data)
{
  Fixture *fixture = data;

  return mw_list_reveal_get_settled (fixture->reveal);
}

static void
fixture_set_up (Fixture *fixture)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  fixture->strings = gtk_string_list_new (NULL);
  fixture->window = gtk_window_new ();
  fixture->view = GTK_LIST_VIEW (gtk_list_view_new (NULL, NULL));
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), fixture);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), fixture);
  g_signal_connect (factory, "teardown", G_CALLBACK (on_teardown_cb), fixture);
  gtk_list_view_set_factory (fixture->view, factory);
  g_object_unref (factory);
  fixture->reveal = mw_list_reveal_new (G_LIST_MODEL (fixture->strings),
                                        GTK_WIDGET (fixture->view), STEP, apply, fixture);
  gtk_list_view_set_model (fixture->view, GTK_SELECTION_MODEL (gtk_no_selection_new (
                             g_object_ref (mw_list_reveal_get_model (fixture->reveal)))));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fixture->view));
  gtk_window_set_child (GTK_WINDOW (fixture->window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 400, 300);
  gtk_window_present (GTK_WINDOW (fixture->window));
  mw_test_wait_frames (fixture->window, 2);
}

static void
fixture_tear_down (Fixture *fixture)
{
  mw_list_reveal_stop (fixture->reveal);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->reveal);
  g_clear_object (&fixture->strings);
}

static void
test_reveal (void)
{
  Fixture fixture = { 0 };

  fixture_set_up (&fixture);
  g_assert_true (mw_list_reveal_get_settled (fixture.reveal));

  /* An empty list: the change runs at once, and only `step` of its 300 items reach the view. */
  mw_list_reveal_change (fixture.reveal);
  g_assert_cmpuint (fixture.applied, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture.strings)), ==, N);
  g_assert_cmpuint (n_view (&fixture), ==, STEP);
  g_assert_cmpuint (fixture.n_rows, <=, STEP);
  g_assert_false (mw_list_reveal_get_settled (fixture.reveal));
  /* Then the rest, frame by frame: the view ends with all 300 (and GTK's rows for 200). */
  g_assert_true (mw_test_wait_until (settled, &fixture, 30000));
  g_assert_cmpuint (n_view (&fixture), ==, N);
  g_assert_cmpuint (fixture.n_rows, >, STEP);

  /* A change of the long list waits: asked twice, it runs once, when the view is short. */
  fixture.second_half = TRUE;
  mw_list_reveal_change (fixture.reveal);
  mw_list_reveal_change (fixture.reveal);
  g_assert_cmpuint (fixture.applied, ==, 1);
  g_assert_false (mw_list_reveal_get_settled (fixture.reveal));
  g_assert_true (mw_test_wait_until (settled, &fixture, 30000));
  g_assert_cmpuint (fixture.applied, ==, 2);
  g_assert_cmpuint (fixture.shown_at_apply, <=, STEP);
  g_assert_cmpuint (n_view (&fixture), ==, N);
  {
    g_autoptr(GtkStringObject) first = g_list_model_get_item (
      mw_list_reveal_get_model (fixture.reveal), 0);

    g_assert_cmpstr (gtk_string_object_get_string (first), ==, "b 000");
  }
  fixture_tear_down (&fixture);
}

/* Items added to a shown list come in by frames too, not all in the dispatch that added them. */
static void
test_added_later (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  fixture_set_up (&fixture);
  for (guint i = 0; i < N; i++)
    g_ptr_array_add (names, g_strdup_printf ("late %03u", i));
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (fixture.strings, 0, 0, (const char * const *) names->pdata);
  g_assert_cmpuint (n_view (&fixture), ==, STEP);
  g_assert_cmpuint (fixture.n_rows, <=, STEP);
  g_assert_true (mw_test_wait_until (settled, &fixture, 30000));
  g_assert_cmpuint (n_view (&fixture), ==, N);
  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mw/list-reveal/reveal", test_reveal);
  g_test_add_func ("/mw/list-reveal/added-later", test_added_later);
  return g_test_run ();
}
