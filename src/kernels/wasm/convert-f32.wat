;; The float64 <-> float32 conversions of the "wasm-f32" backend (float64 matrices, products
;; computed in float32). Assembled by `npm run build:wasm` like every module here; it shares the
;; kernel heap's memory (imported as env.memory) with gemm-f32.wat, whose micro-kernel multiplies
;; the panels these functions pack. For Float32Array matrices nothing here runs: gemm-f32.wat
;; packs float32 directly.
;; `pack` and `packRows` convert float64 A and B to float32 panels (op(A) in panels of 4 rows, op(B)
;; in panels of 8 columns, both k-major), `copyOut` converts the padded float32 C back to float64,
;; times alpha.
(module
  (import "env" "memory" (memory 1))

  ;; pack(src, line, lines, width, kc, dst): packs `lines` lines of kc contiguous float64 values,
  ;; converting to float32.
  ;; Line l starts at byte src + l * line, so one function packs op(A) of a plain A (a line is a
  ;; row) and op(B) of a transposed B (a line is a column of op(B)). Panels hold `width` lines
  ;; (a power of two, at least 4), k-major: line l, step q goes to element
  ;; ((l / width) * kc + q) * width + l % width from dst. Four lines at a time, two steps
  ;; of k per iteration go as vectors (4 loads, 4 conversions, 4 shuffles, 2 stores); the last lines
  ;; one at a time; lines from `lines` up to a multiple of `width` are zero.
  (func (export "pack")
    (param $src i32) (param $line i32) (param $lines i32) (param $width i32) (param $kc i32) (param $dst i32)
    (local $l i32) (local $end i32) (local $d i32) (local $dend i32) (local $dstep i32) (local $q i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $x v128) (local $y v128)
    (local.set $dstep (i32.shl (local.get $width) (i32.const 2)))
    (local.set $end (i32.and (i32.add (local.get $lines) (i32.sub (local.get $width) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $width))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $l) (local.get $end)))
      ;; first element of line l: ((l rounded down to width) * kc + l % width) float32s from dst
      (local.set $d (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (i32.and (local.get $l) (i32.sub (i32.const 0) (local.get $width))) (local.get $kc))
                 (i32.and (local.get $l) (i32.sub (local.get $width) (i32.const 1))))
        (i32.const 2))))
      (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $l) (local.get $line))))
      (if (i32.le_u (i32.add (local.get $l) (i32.const 4)) (local.get $lines))
        (then
          ;; lines l .. l + 3, all real
          (local.set $s1 (i32.add (local.get $s0) (local.get $line)))
          (local.set $s2 (i32.add (local.get $s1) (local.get $line)))
          (local.set $s3 (i32.add (local.get $s2) (local.get $line)))
          (local.set $q (i32.const 2))
          (block $pairsDone (loop $pairs
            (br_if $pairsDone (i32.gt_u (local.get $q) (local.get $kc)))
            ;; x = [l0 q, l1 q, l0 q+1, l1 q+1] and y = the same for lines 2 and 3
            (local.set $x (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
              (f32x4.demote_f64x2_zero (v128.load (local.get $s0)))
              (f32x4.demote_f64x2_zero (v128.load (local.get $s1)))))
            (local.set $y (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
              (f32x4.demote_f64x2_zero (v128.load (local.get $s2)))
              (f32x4.demote_f64x2_zero (v128.load (local.get $s3)))))
            ;; step q: lanes 0, 1 of x and of y; step q + 1: lanes 2, 3
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x) (local.get $y)))
            (v128.store (i32.add (local.get $d) (local.get $dstep))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x) (local.get $y)))
            (local.set $s0 (i32.add (local.get $s0) (i32.const 16)))
            (local.set $s1 (i32.add (local.get $s1) (i32.const 16)))
            (local.set $s2 (i32.add (local.get $s2) (i32.const 16)))
            (local.set $s3 (i32.add (local.get $s3) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.shl (local.get $dstep) (i32.const 1))))
            (local.set $q (i32.add (local.get $q) (i32.const 2)))
            (br $pairs)))
          ;; an odd kc leaves one step
          (if (i32.and (local.get $kc) (i32.const 1)) (then
            (f32.store (local.get $d) (f32.demote_f64 (f64.load (local.get $s0))))
            (f32.store offset=4 (local.get $d) (f32.demote_f64 (f64.load (local.get $s1))))
            (f32.store offset=8 (local.get $d) (f32.demote_f64 (f64.load (local.get $s2))))
            (f32.store offset=12 (local.get $d) (f32.demote_f64 (f64.load (local.get $s3))))))
          (local.set $l (i32.add (local.get $l) (i32.const 4))))
        (else
          ;; one line: a real one (fewer than four left) or a zero one
          (local.set $dend (i32.add (local.get $d) (i32.mul (local.get $kc) (local.get $dstep))))
          (if (i32.lt_u (local.get $l) (local.get $lines))
            (then
              (loop $copy
                (f32.store (local.get $d) (f32.demote_f64 (f64.load (local.get $s0))))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 8)))
                (local.set $d (i32.add (local.get $d) (local.get $dstep)))
                (br_if $copy (i32.lt_u (local.get $d) (local.get $dend)))))
            (else
              (loop $zero
                (f32.store (local.get $d) (f32.const 0))
                (local.set $d (i32.add (local.get $d) (local.get $dstep)))
                (br_if $zero (i32.lt_u (local.get $d) (local.get $dend))))))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))))
      (br $next)))
  )

  ;; copyOut(pc, ldc, m, n, dst, accumulate, alpha): the float64 m x n matrix at dst becomes alpha
  ;; times
  ;; the top-left m x n part of the padded float32 C at pc (ldc bytes per row), plus itself when
  ;; accumulate = 1. 4 values per vector step, the rest of a row one at a time.
  (func (export "copyOut")
    (param $pc i32) (param $ldc i32) (param $m i32) (param $n i32) (param $dst i32) (param $acc i32) (param $alpha f64)
    (local $i i32) (local $s i32) (local $send i32) (local $vend i32) (local $d i32) (local $x v128) (local $y v128) (local $a2 v128)
    (local.set $a2 (f64x2.splat (local.get $alpha)))
    (local.set $d (local.get $dst))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $s (i32.add (local.get $pc) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $send (i32.add (local.get $s) (i32.shl (local.get $n) (i32.const 2))))
      ;; the end of the whole vector steps in this row
      (local.set $vend (i32.add (local.get $s) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $s) (local.get $vend)))
        (local.set $x (v128.load (local.get $s)))
        ;; lanes 0, 1 and lanes 2, 3 of four float32, each widened to two float64, times alpha
        (local.set $y (f64x2.mul (local.get $a2) (f64x2.promote_low_f32x4 (local.get $x))))
        (local.set $x (f64x2.mul (local.get $a2) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))))
        (if (local.get $acc) (then
          (local.set $y (f64x2.add (local.get $y) (v128.load (local.get $d))))
          (local.set $x (f64x2.add (local.get $x) (v128.load offset=16 (local.get $d))))))
        (v128.store (local.get $d) (local.get $y))
        (v128.store offset=16 (local.get $d) (local.get $x))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (br $vec)))
      (block $sdone (loop $one
        (br_if $sdone (i32.ge_u (local.get $s) (local.get $send)))
        (if (local.get $acc)
          (then (f64.store (local.get $d) (f64.add (f64.load (local.get $d)) (f64.mul (local.get $alpha) (f64.promote_f32 (f32.load (local.get $s)))))))
          (else (f64.store (local.get $d) (f64.mul (local.get $alpha) (f64.promote_f32 (f32.load (local.get $s)))))))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (i32.const 8)))
        (br $one)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
  )

  ;; packRows(src, stride, lines, width, kc, dst): the same panels as pack, for the layout where the
  ;; `lines` values of one step of k are contiguous (op(A) of a transposed A, op(B) of a plain B):
  ;; step q's values start at src + q * stride. Panel by panel (so the writes are sequential), each
  ;; step's `width` values are moved in groups of four, converting four float64 to float32 per
  ;; vector store; the last panel's missing lines are zero.
  (func (export "packRows")
    (param $src i32) (param $stride i32) (param $lines i32) (param $width i32) (param $kc i32) (param $dst i32)
    (local $col i32) (local $full i32) (local $q i32) (local $s i32) (local $d i32) (local $g i32) (local $l i32) (local $rest i32)
    ;; bytes of one step's values that fill whole panels, and the lines left for the last panel
    (local.set $full (i32.shl (i32.and (local.get $lines) (i32.sub (i32.const 0) (local.get $width))) (i32.const 3)))
    (local.set $rest (i32.and (local.get $lines) (i32.sub (local.get $width) (i32.const 1))))
    (local.set $d (local.get $dst))
    ;; $col: byte offset, within a step, of the panel's first value
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $full)))
      (local.set $q (i32.const 0))
      (loop $steps
        (local.set $s (i32.add (i32.add (local.get $src) (local.get $col)) (i32.mul (local.get $q) (local.get $stride))))
        (local.set $g (i32.const 0))
        (loop $groups
          (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (v128.load (local.get $s)))
              (f32x4.demote_f64x2_zero (v128.load offset=16 (local.get $s)))))
          (local.set $s (i32.add (local.get $s) (i32.const 32)))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $g (i32.add (local.get $g) (i32.const 4)))
          (br_if $groups (i32.lt_u (local.get $g) (local.get $width))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $steps (i32.lt_u (local.get $q) (local.get $kc))))
      (local.set $col (i32.add (local.get $col) (i32.shl (local.get $width) (i32.const 3))))
      (br $panels)))
    ;; the last, partial panel: the remaining lines, then zeros up to the width
    (if (local.get $rest) (then
      (local.set $q (i32.const 0))
      (loop $steps
        (local.set $s (i32.add (i32.add (local.get $src) (local.get $col)) (i32.mul (local.get $q) (local.get $stride))))
        (local.set $l (i32.const 0))
        (loop $tail
          (if (i32.lt_u (local.get $l) (local.get $rest))
            (then (f32.store (local.get $d) (f32.demote_f64 (f64.load (local.get $s)))))
            (else (f32.store (local.get $d) (f32.const 0))))
          (local.set $s (i32.add (local.get $s) (i32.const 8)))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $l) (local.get $width))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $steps (i32.lt_u (local.get $q) (local.get $kc))))))
  )
)
