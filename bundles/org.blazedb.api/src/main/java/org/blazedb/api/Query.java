package org.blazedb.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A query over one collection: filters on top-level fields (all must hold), an optional order by
 * one field, and a limit. Documents without the order field are left out when ordering by it.
 * Tombstones never match. A store uses a secondary index on a filtered or ordered field when the
 * collection has one.
 *
 * @param filters    conditions that must all hold
 * @param orderBy    the field to order by; documents are in id order when empty
 * @param descending whether to order from greatest to least
 * @param limit      the maximum number of results, {@link #NO_LIMIT} for all
 */
public record Query(List<Filter> filters, Optional<String> orderBy, boolean descending, long limit) {
    /** {@link #limit()} value meaning every match. */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    /** @param filters filters, copied @param orderBy order field @param descending direction @param limit maximum results */
    public Query {
        filters = List.copyOf(filters);
        Objects.requireNonNull(orderBy, "orderBy");
        if (limit < 0) {
            throw new BlazeException(ErrorCode.INVALID_QUERY, "A query limit cannot be negative: " + limit);
        }
    }

    /** @return a query builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a query matching every live document, in id order */
    public static Query all() {
        return builder().build();
    }

    /** Builds a {@link Query}; not thread-safe. */
    public static final class Builder {
        private final List<Filter> filters = new ArrayList<>();
        private String orderBy;
        private boolean descending;
        private long limit = NO_LIMIT;

        private Builder() {
        }

        /** @param filter a condition to add @return this builder */
        public Builder where(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** @param field field to order by, ascending @return this builder */
        public Builder orderBy(String field) {
            return orderBy(field, false);
        }

        /** @param field field to order by @param descending direction @return this builder */
        public Builder orderBy(String field, boolean descending) {
            this.orderBy = Objects.requireNonNull(field, "field");
            this.descending = descending;
            return this;
        }

        /** @param limit maximum number of results @return this builder */
        public Builder limit(long limit) {
            this.limit = limit;
            return this;
        }

        /** @return the query */
        public Query build() {
            return new Query(filters, Optional.ofNullable(orderBy), descending, limit);
        }
    }
}
