/* A fixed-capacity FIFO of decided events, filled by the stages, drained by cs_pull. */
#ifndef CS_EVENT_QUEUE_H
#define CS_EVENT_QUEUE_H

#include "callscope/callscope.h"

typedef struct event_queue {
    cs_event *items;
    size_t capacity;
    size_t head;  /* next to pull */
    size_t count;
    int overflowed; /* set if a push found the queue full; the event was lost */
} event_queue;

int event_queue_init(event_queue *q, size_t capacity);
void event_queue_free(event_queue *q);
void event_queue_reset(event_queue *q);
void event_queue_push(event_queue *q, const cs_event *ev);
int event_queue_pull(event_queue *q, cs_event *ev);
size_t event_queue_space(const event_queue *q);

#endif
