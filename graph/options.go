package graph

// Checks of query options, the same for every store. Each returns EINVALID
// with a message that names the bad value, and the defaults filled in.

func checkEntityTypes(ts []EntityType) error {
	for _, t := range ts {
		if !t.Valid() {
			return Errorf(EINVALID, "unknown entity type %q (want one of %v)", t, EntityTypes)
		}
	}
	return nil
}

func checkEventTypes(ts []EventType) error {
	for _, t := range ts {
		if !t.Valid() {
			return Errorf(EINVALID, "unknown event type %q (want one of %v)", t, EventTypes)
		}
	}
	return nil
}

func checkRange(from, to string) error {
	for _, d := range []string{from, to} {
		if !ValidDate(d) {
			return Errorf(EINVALID, "date %q is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", d)
		}
	}
	return nil
}

func checkLimit(limit, def int) (int, error) {
	if limit < 0 {
		return 0, Errorf(EINVALID, "limit %d is negative", limit)
	}
	if limit == 0 {
		return def, nil
	}
	return limit, nil
}

// Check validates a search's options and returns its limit (20 when none
// is given).
func (o SearchOptions) Check() (limit int, err error) {
	if err := checkEntityTypes(o.Types); err != nil {
		return 0, err
	}
	return checkLimit(o.Limit, 20)
}

// Check validates a timeline query and returns its limit (DefaultLimit when
// none is given).
func (q TimelineQuery) Check() (limit int, err error) {
	if q.Entity == "" {
		return 0, Errorf(EINVALID, "timeline: no entity given")
	}
	if err := checkEventTypes(q.EventTypes); err != nil {
		return 0, err
	}
	if err := checkRange(q.From, q.To); err != nil {
		return 0, err
	}
	return checkLimit(q.Limit, DefaultLimit)
}

// Check validates neighborhood options and returns the depth (1 when none
// is given) and the limit (DefaultLimit when none is given).
func (o NeighborOptions) Check() (depth, limit int, err error) {
	depth = o.Depth
	if depth == 0 {
		depth = 1
	}
	if depth < 1 || depth > MaxDepth {
		return 0, 0, Errorf(EINVALID, "depth %d is outside 1..%d", o.Depth, MaxDepth)
	}
	if err := checkEntityTypes(o.NodeTypes); err != nil {
		return 0, 0, err
	}
	if err := checkEventTypes(o.EventTypes); err != nil {
		return 0, 0, err
	}
	if err := checkRange(o.From, o.To); err != nil {
		return 0, 0, err
	}
	limit, err = checkLimit(o.Limit, DefaultLimit)
	return depth, limit, err
}
