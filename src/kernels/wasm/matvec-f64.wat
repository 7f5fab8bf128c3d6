;; The float64 twins of matvec-f32.wat's kernels (same names, same arguments, same loops), two
;; values per vector instead of four: gemvN takes four columns per step (two f64x2 per row), gemvT
;; two, rank1 four. Kept as a separate module, not one function for both element types, so that
;; each loop is straight-line code for one lane width. Assembled by build.ts (the `f64x2.madd`
;; macro); all addresses and strides are byte offsets into the imported heap memory.
(module
  (import "env" "memory" (memory 1))

  ;; y[i] = alpha v (+ y[i] when acc = 1): the one store of a dot product.
  (func $put (param $at i32) (param $v f64) (param $alpha f64) (param $acc i32)
    (if (local.get $acc)
      (then (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.mul (local.get $alpha) (local.get $v)))))
      (else (f64.store (local.get $at) (f64.mul (local.get $alpha) (local.get $v))))))

  ;; gemvN(w, ldw, m, k, x, y, incy, alpha, acc): y[i] (+)= alpha (W x)[i] for the m x k matrix W
  ;; (row i at w + i ldw) and a contiguous x; y[i] at y + i incy. Four rows at a time, four
  ;; columns per step in two f64x2 accumulators per row: x is loaded once per four rows, each
  ;; element of W exactly once, and the eight independent sums hide the add latency. The four
  ;; rows' sums are reduced together (a round of shuffles and adds), the last k mod 4 columns
  ;; are added one at a time.
  (func (export "gemvN")
    (param $w i32) (param $ldw i32) (param $m i32) (param $k i32) (param $x i32) (param $y i32) (param $incy i32) (param $alpha f64) (param $acc i32)
    (local $i i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $o i32) (local $vend i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $x0 v128) (local $x1 v128)
    (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64) (local $xs f64)
    (local.set $vend (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $k) (i32.const 3)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $ldw)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $ldw)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $ldw)))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0))
      (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $x0 (v128.load (i32.add (local.get $x) (local.get $o))))
        (local.set $x1 (v128.load offset=16 (i32.add (local.get $x) (local.get $o))))
        (local.set $a0 (f64x2.madd (v128.load (i32.add (local.get $r0) (local.get $o))) (local.get $x0) (local.get $a0)))
        (local.set $a1 (f64x2.madd (v128.load offset=16 (i32.add (local.get $r0) (local.get $o))) (local.get $x1) (local.get $a1)))
        (local.set $a2 (f64x2.madd (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $x0) (local.get $a2)))
        (local.set $a3 (f64x2.madd (v128.load offset=16 (i32.add (local.get $r1) (local.get $o))) (local.get $x1) (local.get $a3)))
        (local.set $a4 (f64x2.madd (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $x0) (local.get $a4)))
        (local.set $a5 (f64x2.madd (v128.load offset=16 (i32.add (local.get $r2) (local.get $o))) (local.get $x1) (local.get $a5)))
        (local.set $a6 (f64x2.madd (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $x0) (local.get $a6)))
        (local.set $a7 (f64x2.madd (v128.load offset=16 (i32.add (local.get $r3) (local.get $o))) (local.get $x1) (local.get $a7)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $vec)))
      ;; one sum vector per row
      (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
      (local.set $a2 (f64x2.add (local.get $a2) (local.get $a3)))
      (local.set $a4 (f64x2.add (local.get $a4) (local.get $a5)))
      (local.set $a6 (f64x2.add (local.get $a6) (local.get $a7)))
      ;; [sum 0, sum 2] from rows 0 and 2 (lanes 0 + 1 of each), [sum 1, sum 3] from rows 1 and 3
      (local.set $a1 (f64x2.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a4))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a4))))
      (local.set $a3 (f64x2.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a6))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a6))))
      (local.set $t0 (f64x2.extract_lane 0 (local.get $a1)))
      (local.set $t1 (f64x2.extract_lane 0 (local.get $a3)))
      (local.set $t2 (f64x2.extract_lane 1 (local.get $a1)))
      (local.set $t3 (f64x2.extract_lane 1 (local.get $a3)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $xs (f64.load (i32.add (local.get $x) (local.get $o))))
        (local.set $t0 (f64.add (local.get $t0) (f64.mul (f64.load (i32.add (local.get $r0) (local.get $o))) (local.get $xs))))
        (local.set $t1 (f64.add (local.get $t1) (f64.mul (f64.load (i32.add (local.get $r1) (local.get $o))) (local.get $xs))))
        (local.set $t2 (f64.add (local.get $t2) (f64.mul (f64.load (i32.add (local.get $r2) (local.get $o))) (local.get $xs))))
        (local.set $t3 (f64.add (local.get $t3) (f64.mul (f64.load (i32.add (local.get $r3) (local.get $o))) (local.get $xs))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $tail)))
      (call $put (local.get $y) (local.get $t0) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (call $put (local.get $y) (local.get $t1) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (call $put (local.get $y) (local.get $t2) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (call $put (local.get $y) (local.get $t3) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))
    ;; the last m mod 4 rows, one at a time
    (block $lastDone (loop $last
      (br_if $lastDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $a0 (f64x2.madd (v128.load (i32.add (local.get $r0) (local.get $o))) (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $a0)))
        (local.set $a1 (f64x2.madd (v128.load offset=16 (i32.add (local.get $r0) (local.get $o))) (v128.load offset=16 (i32.add (local.get $x) (local.get $o))) (local.get $a1)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $vec)))
      (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
      (local.set $t0 (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $t0 (f64.add (local.get $t0)
          (f64.mul (f64.load (i32.add (local.get $r0) (local.get $o))) (f64.load (i32.add (local.get $x) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $tail)))
      (call $put (local.get $y) (local.get $t0) (local.get $alpha) (local.get $acc))
      (local.set $y (i32.add (local.get $y) (local.get $incy)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $last)))
  )

  ;; gemvT(w, ldw, m, k, x, incx, y, alpha, acc): y (+)= alpha W^T x for the m x k matrix W (row i
  ;; at w + i ldw), x[i] at x + i incx and a contiguous y of length k. W^T is never formed: rows of
  ;; W are streamed, four at a time, into y (y[j..j+3] += the four rows' values times their x), so
  ;; y is loaded and stored once per four rows and W read once, in order.
  (func (export "gemvT")
    (param $w i32) (param $ldw i32) (param $m i32) (param $k i32) (param $x i32) (param $incx i32) (param $y i32) (param $alpha f64) (param $acc i32)
    (local $i i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $o i32) (local $vend i32) (local $end i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $v v128)
    (local $x0 f64) (local $x1 f64) (local $x2 f64) (local $x3 f64)
    (local.set $vend (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $k) (i32.const 3)))
    ;; writing rather than adding: start from zero
    (if (i32.eqz (local.get $acc)) (then (memory.fill (local.get $y) (i32.const 0) (local.get $end))))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $ldw)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $ldw)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $ldw)))
      ;; alpha folded into the four values of x
      (local.set $x0 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $incx))))))
      (local.set $x1 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $incx))))))
      (local.set $x2 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 2)) (local.get $incx))))))
      (local.set $x3 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $x) (i32.mul (i32.add (local.get $i) (i32.const 3)) (local.get $incx))))))
      (local.set $s0 (f64x2.splat (local.get $x0)))
      (local.set $s1 (f64x2.splat (local.get $x1)))
      (local.set $s2 (f64x2.splat (local.get $x2)))
      (local.set $s3 (f64x2.splat (local.get $x3)))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $v (v128.load (i32.add (local.get $y) (local.get $o))))
        (local.set $v (f64x2.madd (local.get $s0) (v128.load (i32.add (local.get $r0) (local.get $o))) (local.get $v)))
        (local.set $v (f64x2.madd (local.get $s1) (v128.load (i32.add (local.get $r1) (local.get $o))) (local.get $v)))
        (local.set $v (f64x2.madd (local.get $s2) (v128.load (i32.add (local.get $r2) (local.get $o))) (local.get $v)))
        (local.set $v (f64x2.madd (local.get $s3) (v128.load (i32.add (local.get $r3) (local.get $o))) (local.get $v)))
        (v128.store (i32.add (local.get $y) (local.get $o)) (local.get $v))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (f64.store (i32.add (local.get $y) (local.get $o)) (f64.add (f64.load (i32.add (local.get $y) (local.get $o)))
          (f64.add
            (f64.add (f64.mul (local.get $x0) (f64.load (i32.add (local.get $r0) (local.get $o))))
                     (f64.mul (local.get $x1) (f64.load (i32.add (local.get $r1) (local.get $o)))))
            (f64.add (f64.mul (local.get $x2) (f64.load (i32.add (local.get $r2) (local.get $o))))
                     (f64.mul (local.get $x3) (f64.load (i32.add (local.get $r3) (local.get $o))))))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows)))
    ;; the last m mod 4 rows, one at a time
    (block $lastDone (loop $last
      (br_if $lastDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $ldw))))
      (local.set $x0 (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $incx))))))
      (local.set $s0 (f64x2.splat (local.get $x0)))
      (local.set $o (i32.const 0))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
        (v128.store (i32.add (local.get $y) (local.get $o))
          (f64x2.madd (local.get $s0) (v128.load (i32.add (local.get $r0) (local.get $o))) (v128.load (i32.add (local.get $y) (local.get $o)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
        (f64.store (i32.add (local.get $y) (local.get $o)) (f64.add (f64.load (i32.add (local.get $y) (local.get $o)))
          (f64.mul (local.get $x0) (f64.load (i32.add (local.get $r0) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $last)))
  )

  ;; rank1(x, incx, m, y, n, c, ldc, alpha, acc): C (+)= alpha x y^T, the outer product (delta a^T
  ;; of one example): C is m x n with row i at c + i ldc, x[i] at x + i incx, y contiguous. Each
  ;; row of C is written once, four values per step, from y (in cache) times alpha x[i].
  (func (export "rank1")
    (param $x i32) (param $incx i32) (param $m i32) (param $y i32) (param $n i32) (param $c i32) (param $ldc i32) (param $alpha f64) (param $acc i32)
    (local $i i32) (local $row i32) (local $o i32) (local $vend i32) (local $end i32) (local $xs f64) (local $s v128)
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $row (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $xs (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $incx))))))
      (local.set $s (f64x2.splat (local.get $xs)))
      (local.set $o (i32.const 0))
      ;; two loops rather than a test per step: writing, or adding to C
      (if (local.get $acc)
        (then
          (block $vdone (loop $vec
            (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
            (v128.store (i32.add (local.get $row) (local.get $o))
              (f64x2.madd (local.get $s) (v128.load (i32.add (local.get $y) (local.get $o))) (v128.load (i32.add (local.get $row) (local.get $o)))))
            (v128.store offset=16 (i32.add (local.get $row) (local.get $o))
              (f64x2.madd (local.get $s) (v128.load offset=16 (i32.add (local.get $y) (local.get $o))) (v128.load offset=16 (i32.add (local.get $row) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 32)))
            (br $vec)))
          (block $tdone (loop $tail
            (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
            (f64.store (i32.add (local.get $row) (local.get $o))
              (f64.add (f64.load (i32.add (local.get $row) (local.get $o))) (f64.mul (local.get $xs) (f64.load (i32.add (local.get $y) (local.get $o))))))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (br $tail))))
        (else
          (block $vdone (loop $vec
            (br_if $vdone (i32.ge_u (local.get $o) (local.get $vend)))
            (v128.store (i32.add (local.get $row) (local.get $o)) (f64x2.mul (local.get $s) (v128.load (i32.add (local.get $y) (local.get $o)))))
            (v128.store offset=16 (i32.add (local.get $row) (local.get $o)) (f64x2.mul (local.get $s) (v128.load offset=16 (i32.add (local.get $y) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 32)))
            (br $vec)))
          (block $tdone (loop $tail
            (br_if $tdone (i32.ge_u (local.get $o) (local.get $end)))
            (f64.store (i32.add (local.get $row) (local.get $o)) (f64.mul (local.get $xs) (f64.load (i32.add (local.get $y) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (br $tail)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
  )

  ;; gather(src, stride, count, dst): dst[i] = src[i stride], a strided vector (a column of a
  ;; row-major matrix) made contiguous for the vector loops above.
  (func (export "gather") (param $src i32) (param $stride i32) (param $count i32) (param $dst i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
      (f64.store (local.get $dst) (f64.load (local.get $src)))
      (local.set $src (i32.add (local.get $src) (local.get $stride)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
      (br $next)))
  )

  ;; scatter(src, count, dst, stride, acc): dst[i stride] (+)= src[i], the way back into a column.
  (func (export "scatter") (param $src i32) (param $count i32) (param $dst i32) (param $stride i32) (param $acc i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (if (local.get $acc)
        (then (f64.store (local.get $dst) (f64.add (f64.load (local.get $dst)) (f64.load (local.get $src)))))
        (else (f64.store (local.get $dst) (f64.load (local.get $src)))))
      (local.set $src (i32.add (local.get $src) (i32.const 8)))
      (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
      (br $next)))
  )
)
