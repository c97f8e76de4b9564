#include "event_queue.h"

#include <stdlib.h>

int event_queue_init(event_queue *q, size_t capacity)
{
    q->items = calloc(capacity, sizeof *q->items);
    q->capacity = q->items ? capacity : 0;
    q->head = q->count = 0;
    q->overflowed = 0;
    return q->items ? CS_OK : CS_ENOMEM;
}

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

void event_queue_push(event_queue *q, const cs_event *ev)
{
    if (q->count == q->capacity) {
        q->overflowed = 1;
        return;
    }
    q->items[(q->head + q->count) % q->capacity] = *ev;
    q->count++;
}

int event_queue_pull(event_queue *q, cs_event *ev)
{
    if (q->count == 0)
        return 0;
    *ev = q->items[q->head];
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    return 1;
}

size_t event_queue_space(const event_queue *q) { return q->capacity - q->count; }
