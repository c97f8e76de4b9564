/*
 * A fixed-capacity FIFO filled by one stage and drained by the next: the
 * decided events cs_pull hands out, and the turn stage's decided hops and
 * events on their way to the analyzer. Records are copied in and out; the
 * capacity is set when opening (src/pipeline.c works it out), so a push
 * never allocates.
 */
#ifndef CS_EVENT_QUEUE_H
#define CS_EVENT_QUEUE_H

#include "callscope/callscope.h"

typedef struct event_queue {
    unsigned char *items;
    size_t item_bytes;
    size_t capacity;
    size_t head;  /* next to pull */
    size_t count;
    int overflowed; /* set if a push found the queue full; the record was lost */
} event_queue;

/* A queue of cs_event. CS_OK or CS_ENOMEM. */
int event_queue_init(event_queue *q, size_t capacity);
/* A queue of records of item_bytes each. */
int event_queue_init_items(event_queue *q, size_t capacity, size_t item_bytes);
void event_queue_free(event_queue *q);
void event_queue_reset(event_queue *q);
void event_queue_push(event_queue *q, const cs_event *ev);
int event_queue_pull(event_queue *q, cs_event *ev);
/* The same for any record: put copies one in, take one out (1, or 0 when empty). */
void event_queue_put(event_queue *q, const void *item);
int event_queue_take(event_queue *q, void *item);
size_t event_queue_space(const event_queue *q);

#endif
