#include "event_queue.h"

#include <stdlib.h>
#include <string.h>

int event_queue_init_items(event_queue *q, size_t capacity, size_t item_bytes)
{
    q->items = calloc(capacity, item_bytes);
    q->item_bytes = item_bytes;
    q->capacity = q->items ? capacity : 0;
    q->head = q->count = 0;
    q->overflowed = 0;
    return q->items ? CS_OK : CS_ENOMEM;
}

int event_queue_init(event_queue *q, size_t capacity) { return event_queue_init_items(q, capacity, sizeof(cs_event)); }

void event_queue_free(event_queue *q)
{
    free(q->items);
    q->items = NULL;
    q->capacity = q->count = 0;
}

void event_queue_reset(event_queue *q)
{
    q->head = q->count = 0;
    q->overflowed = 0;
}

void event_queue_put(event_queue *q, const void *item)
{
    if (q->count == q->capacity) {
        q->overflowed = 1;
        return;
    }
    memcpy(q->items + ((q->head + q->count) % q->capacity) * q->item_bytes, item, q->item_bytes);
    q->count++;
}

int event_queue_take(event_queue *q, void *item)
{
    if (q->count == 0)
        return 0;
    memcpy(item, q->items + q->head * q->item_bytes, q->item_bytes);
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    return 1;
}

void event_queue_push(event_queue *q, const cs_event *ev) { event_queue_put(q, ev); }

int event_queue_pull(event_queue *q, cs_event *ev) { return event_queue_take(q, ev); }

size_t event_queue_space(const event_queue *q) { return q->capacity - q->count; }
