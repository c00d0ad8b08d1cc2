"""Query expressions the ORM lacks."""

from django.db.models import Lookup


class AnyOf(Lookup):
    """`filter(AnyOf(F("project_id"), ids))`: `project_id = ANY(%s)` with the ids as one array parameter on
    PostgreSQL. Django's `__in` prepares, resolves and binds every value on its own: for a list of thousands
    of ids most of the time of the query, before it is sent. `IN (…)` on the other databases."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
