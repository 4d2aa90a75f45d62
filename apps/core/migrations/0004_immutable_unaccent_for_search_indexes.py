from django.db import migrations

# unaccent() is STABLE (its dictionary could change), so PostgreSQL refuses an index on it. This wrapper
# names the dictionary and is declared IMMUTABLE, the usual way to index diacritic-free text; the admin's
# searches call it (apps.core.admin_base.Unaccented) so they match the trigram indexes built on it.
CREATE = """
CREATE FUNCTION taybinh_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, $1);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0003_letterhead_moves_to_issuing_bodies")]

    operations = [migrations.RunSQL(CREATE, "DROP FUNCTION taybinh_unaccent(text);")]
